"""utils.data: the make_moons loader, the Seattle daily temperatures and their checksum."""

import datetime
import hashlib
import re

import numpy as np
import pytest
from sklearn.datasets import make_moons

from utils.data import DATASETS, SEATTLE_WEATHER, celsius_to_fahrenheit, load_daily_temperatures, load_moons

HEADER = "date,precipitation,temp_max,temp_min,wind,weather\n"


def test_load_moons_shapes_and_labels():
    X, Y = load_moons()
    assert X.shape == (2, 300)
    assert Y.shape == (1, 300)
    assert X.dtype == np.float64
    assert np.issubdtype(Y.dtype, np.integer)
    assert set(np.unique(Y)) == {0, 1}


def test_load_moons_is_make_moons_transposed():
    X, Y = load_moons()
    expected_X, expected_y = make_moons(300, noise=0.2, random_state=3)
    np.testing.assert_array_equal(X, expected_X.T)
    np.testing.assert_array_equal(Y, expected_y.reshape(1, 300))


def test_load_moons_arguments():
    X, Y = load_moons(n_samples=50, noise=0.0, seed=1)
    expected_X, expected_y = make_moons(50, noise=0.0, random_state=1)
    np.testing.assert_array_equal(X, expected_X.T)
    np.testing.assert_array_equal(Y, expected_y.reshape(1, 50))


def test_seattle_file_matches_its_provenance_checksum():
    recorded = re.search(r"sha256: ([0-9a-f]{64})", (DATASETS / "PROVENANCE.md").read_text()).group(1)
    assert hashlib.sha256(SEATTLE_WEATHER.read_bytes()).hexdigest() == recorded


def test_daily_temperatures_all_years():
    data = load_daily_temperatures()
    for series in data:
        assert series.shape == (1461,)  # 2012-01-01 .. 2015-12-31: 366 + 3 * 365 days
    assert data.dates.dtype == np.dtype("datetime64[D]")
    assert data.dates[0] == np.datetime64("2012-01-01")
    assert data.dates[-1] == np.datetime64("2015-12-31")
    # first row of the CSV: 2012/01/01, temp_max 12.8, temp_min 5.0; mean (12.8 + 5.0) / 2 = 8.9
    assert (data.temp_max[0], data.temp_min[0]) == (12.8, 5.0)
    assert data.temp_mean[0] == pytest.approx(8.9)


def test_daily_temperatures_of_one_year():
    data = load_daily_temperatures(year=2012)
    assert data.dates.shape == (366,)  # 2012 is a leap year
    assert data.dates[0] == np.datetime64("2012-01-01")
    assert data.dates[-1] == np.datetime64("2012-12-31")
    assert load_daily_temperatures(year=2013).dates.shape == (365,)


def test_year_without_data_raises():
    with pytest.raises(ValueError, match="no data rows for year 2020"):
        load_daily_temperatures(year=2020)


def test_celsius_to_fahrenheit():
    # F = C * 9 / 5 + 32: 0 -> 32, 100 -> 212, -40 -> -40
    np.testing.assert_allclose(celsius_to_fahrenheit([0, 100, -40]), [32.0, 212.0, -40.0])


def test_in_fahrenheit_converts_every_temperature():
    data = load_daily_temperatures(year=2012).in_fahrenheit()
    # 12.8 * 1.8 + 32 = 55.04; 5.0 * 1.8 + 32 = 41; 8.9 * 1.8 + 32 = 48.02
    assert data.temp_max[0] == pytest.approx(55.04)
    assert data.temp_min[0] == pytest.approx(41.0)
    assert data.temp_mean[0] == pytest.approx(48.02)
    assert data.dates[0] == np.datetime64("2012-01-01")


def test_small_file_with_dashed_dates(tmp_path):
    path = tmp_path / "two_days.csv"
    path.write_text("date,temp_max,temp_min\n2020-02-28,10,0\n2020-02-29,3.5,-1.5\n")
    data = load_daily_temperatures(path)
    np.testing.assert_array_equal(data.dates, np.array([datetime.date(2020, 2, 28), datetime.date(2020, 2, 29)]))
    np.testing.assert_allclose(data.temp_mean, [5.0, 1.0])  # (10 + 0) / 2, (3.5 - 1.5) / 2


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "missing column"),
        (HEADER, "no data rows"),
        ("date,precipitation,temp_max,wind\n2012/01/01,0.0,12.8,4.7\n", "missing column.*temp_min"),
        (HEADER + "2012/01/01,0.0,warm,5.0,4.7,drizzle\n", "line 2"),
        (HEADER + "2012/13/01,0.0,12.8,5.0,4.7,drizzle\n", "line 2"),
        (HEADER + "2012/01/01,0.0,12.8,5.0,4.7,drizzle\n2012/01/01,0.0,10.6,2.8,4.5,rain\n", "not strictly increasing"),
        (HEADER + "2012/01/02,0.0,12.8,5.0,4.7,drizzle\n2012/01/01,0.0,10.6,2.8,4.5,rain\n", "not strictly increasing"),
        (HEADER + "2012/01/01,0.0,12.8\n", "line 2"),
    ],
    ids=[
        "empty",
        "header-only",
        "missing-column",
        "non-numeric",
        "bad-date",
        "repeated-date",
        "decreasing",
        "short-row",
    ],
)
def test_bad_file_raises_naming_the_file(tmp_path, text, problem):
    path = tmp_path / "weather.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=problem) as raised:
        load_daily_temperatures(path)
    assert str(path) in str(raised.value)


def test_missing_file_raises_naming_the_file(tmp_path):
    path = tmp_path / "absent.csv"
    with pytest.raises(ValueError, match="no such file") as raised:
        load_daily_temperatures(path)
    assert str(path) in str(raised.value)
