"""Given code: the data sets of the workbook (no downloads; everything ships in datasets/)."""

import csv
import datetime
from pathlib import Path
from typing import NamedTuple

import numpy as np

DATASETS = Path(__file__).resolve().parent.parent / "datasets"
SEATTLE_WEATHER = DATASETS / "seattle-weather.csv"


def load_moons(n_samples=300, noise=0.2, seed=3):
    """Two interleaving half-moons, column-major, as in the lecture's assignment.

    Returns:
        X -- float64 array of shape (2, n_samples), one point per column.
        Y -- int array of shape (1, n_samples), labels 0 or 1.
    """
    from sklearn.datasets import make_moons  # imported here: scikit-learn takes a second to load

    X, y = make_moons(n_samples, noise=noise, random_state=seed)
    return X.T, y.reshape(1, -1)


class DailyTemperatures(NamedTuple):
    """Daily temperatures of one city; every array has shape (T,)."""

    dates: np.ndarray  # datetime64[D]
    temp_max: np.ndarray  # °C
    temp_min: np.ndarray  # °C
    temp_mean: np.ndarray  # °C, (max + min) / 2

    def in_fahrenheit(self):
        """The same series with temperatures in °F (the lecture's unit)."""
        return self._replace(
            temp_max=celsius_to_fahrenheit(self.temp_max),
            temp_min=celsius_to_fahrenheit(self.temp_min),
            temp_mean=celsius_to_fahrenheit(self.temp_mean),
        )


def celsius_to_fahrenheit(celsius):
    """°F = °C * 9/5 + 32 (element-wise)."""
    return np.asarray(celsius, dtype=float) * 9 / 5 + 32


def load_daily_temperatures(path=SEATTLE_WEATHER, year=None):
    """Read daily max/min temperatures (°C) from a weather CSV.

    The file needs the columns ``date`` (YYYY/MM/DD or YYYY-MM-DD),
    ``temp_max`` and ``temp_min`` (°C), one row per day in increasing order.

    Arguments:
        path -- the CSV file (default: the Seattle 2012-2015 NOAA series).
        year -- keep only this calendar year (int), or None for all rows.

    Returns:
        DailyTemperatures with arrays of shape (T,).

    Raises:
        ValueError -- naming the file and what is wrong, if it is missing,
            empty, lacks a column, or holds a value that is not a date or a
            number.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: no such file (the workbook ships it in datasets/)")
    dates, highs, lows = [], [], []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"date", "temp_max", "temp_min"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            try:
                day = datetime.date.fromisoformat(row["date"].replace("/", "-"))
                high, low = float(row["temp_max"]), float(row["temp_min"])
            except (ValueError, TypeError, AttributeError):
                raise ValueError(
                    f"{path}, line {line}: expected a date and two temperatures, got {dict(row)}"
                ) from None
            if year is None or day.year == year:
                dates.append(day)
                highs.append(high)
                lows.append(low)
    if not dates:
        raise ValueError(f"{path}: no data rows" + (f" for year {year}" if year else ""))
    if any(later <= earlier for earlier, later in zip(dates, dates[1:], strict=False)):
        raise ValueError(f"{path}: dates are not strictly increasing")
    temp_max, temp_min = np.array(highs), np.array(lows)
    return DailyTemperatures(np.array(dates, dtype="datetime64[D]"), temp_max, temp_min, (temp_max + temp_min) / 2)
