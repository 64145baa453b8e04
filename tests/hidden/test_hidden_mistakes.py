"""Every hand-written mistake, run as a student's code, fails its function's tests and is named, confirmed."""

import pytest
from fixtures.hidden.students import StudentFolder, reference_source, replace_function

from optgrade.exercises import module_of
from optgrade.hidden import TESTS, sentence
from optgrade.mutants.hand import MISTAKES

REQUIRED = {
    ("ewa", "beta_swapped"),
    ("update_parameters_with_momentum", "beta_swapped"),
    ("update_parameters_with_adam", "beta_swapped"),
    ("ewa", "started_at_theta1"),
    ("ewa_bias_corrected", "bias_correction_missing"),
    ("update_parameters_with_adam", "bias_correction_missing"),
    ("ewa_bias_corrected", "bias_correction_t_off_by_one"),
    ("update_parameters_with_adam", "bias_correction_t_off_by_one"),
    ("random_mini_batches", "xy_different_permutations"),
    ("random_mini_batches", "last_batch_dropped"),
    ("random_mini_batches", "empty_batch_added"),
    ("random_mini_batches", "permutation_drawn_twice"),
    ("schedule_lr_decay", "no_floor"),
    ("exponential_decay", "one_minus_rate"),
    ("update_parameters_with_rmsprop", "rmsprop_without_root"),
    ("update_parameters_with_momentum", "momentum_without_one_minus_beta"),
    ("update_parameters_with_gd", "plus_instead_of_minus"),
    ("update_parameters_with_adam", "corrected_returned_as_state"),
    ("update_parameters_with_adam", "update_uses_uncorrected_v"),
    ("update_parameters_with_adam", "beta1_beta2_swapped"),
    ("update_parameters_with_adam", "t_always_one"),
    ("sma", "divides_by_window_at_start"),
    ("wma", "divides_by_window_at_start"),
    ("wma", "weights_reversed"),
    ("classify_critical_point", "signs_swapped"),
    ("classify_critical_point", "degenerate_as_minimum"),
    ("gradient_descent_2d", "path_missing_start"),
    ("gradient_descent_2d", "num_steps_rows"),
}


def test_catalog_has_the_required_mistakes():
    assert REQUIRED <= {(mistake.function, mistake.name) for mistake in MISTAKES}


def test_catalog_entries_are_well_formed():
    for mistake in MISTAKES:
        module_of(mistake.function)
        assert mistake.name.isidentifier() and mistake.message and callable(mistake.implementation)


def _forwarding_student(folder, index):
    """utils/<module>.py: the reference, except the mistake's function, which runs catalog entry ``index``."""
    function = MISTAKES[index].function
    module = module_of(function)
    folder.write_file(
        "hidden_bridge.py",
        f"from optgrade.mutants.hand import MISTAKES\n\nIMPLEMENTATION = MISTAKES[{index}].implementation\n",
    )
    forwarder = f"def {function}(*args, **kwargs):\n    return hidden_bridge.IMPLEMENTATION(*args, **kwargs)\n"
    folder.write(module, "import hidden_bridge\n" + replace_function(reference_source(module), function, forwarder))


@pytest.mark.parametrize(
    "index", range(len(MISTAKES)), ids=[f"{m.function}:{m.name}:{i}" for i, m in enumerate(MISTAKES)]
)
def test_mistake_fails_and_is_named(tmp_path, index):
    function, name = MISTAKES[index].function, MISTAKES[index].name
    folder = StudentFolder(tmp_path)
    _forwarding_student(folder, index)
    # In this process: the forwarding module imports the catalog, which no sandboxed worker could reach.
    results = {
        test_id: folder.grade(test_id, sandboxed=False) for test_id in TESTS if test_id.startswith(function + ".")
    }
    said = f"known mistake: {sentence(function, name)} (confirmed on "
    named = [test_id for test_id, result in results.items() if result.error and said in result.error]
    assert named, {test_id: result.error or result.stdout for test_id, result in results.items()}
    for test_id in named:
        assert f"MISTAKE {test_id}: {name}" in results[test_id].stdout
    reported = {
        line.partition(": ")[2]
        for result in results.values()
        for line in result.stdout.splitlines()
        if line.startswith("MISTAKE ")
    }
    assert reported == {name}, f"{name} is also named as {sorted(reported - {name})}"
    assert not results[f"{function}.values"].full
