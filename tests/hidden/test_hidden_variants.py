"""Near-misses of valid variants and their credit (the variants themselves: valid_variants.py)."""

from valid_variants import ADAM_THREE_VALUES, MINIBATCH_OTHER_ORDER, student_folder


def test_adam_returning_three_values_loses_only_the_structure_points(tmp_path):
    folder = student_folder(tmp_path, "adam", "update_parameters_with_adam", ADAM_THREE_VALUES)
    structure = folder.grade("update_parameters_with_adam.structure")
    assert structure.error and "returns 3 values" in structure.error and "5" in structure.error
    assert folder.grade("update_parameters_with_adam.values").full
    assert folder.grade("update_parameters_with_adam.training").full


def test_valid_partition_in_another_order_gets_half_the_values_points(tmp_path):
    folder = student_folder(tmp_path, "minibatch", "random_mini_batches", MINIBATCH_OTHER_ORDER)
    assert folder.grade("random_mini_batches.structure").full
    values = folder.grade("random_mini_batches.values", points=3)
    assert values.error is None and values.score == 1.5
    assert type(values.score) is float
    assert (
        values.stdout.startswith("PARTIAL random_mini_batches.values: ") and "valid shuffled partition" in values.stdout
    )
    assert "(1.5 of 3 points)" in values.stdout
    assert folder.grade("random_mini_batches.training").error


def test_partial_credit_without_points_is_no_credit(tmp_path):
    folder = student_folder(tmp_path, "minibatch", "random_mini_batches", MINIBATCH_OTHER_ORDER)
    assert "partial credit" in folder.grade("random_mini_batches.values", points=None).error
