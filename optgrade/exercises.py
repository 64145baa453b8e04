"""The exercise registry: which student module holds which functions, asked for by which notebook."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# exercise module -> (notebook that asks for it, functions the student writes)
EXERCISES = {
    "minibatch": ("01_minibatch_gradient_descent.ipynb", ("random_mini_batches",)),
    "gd": ("01_minibatch_gradient_descent.ipynb", ("update_parameters_with_gd",)),
    "ewa": ("02_exponentially_weighted_averages.ipynb", ("ewa", "ewa_bias_corrected", "sma", "wma")),
    "momentum": ("03_momentum.ipynb", ("initialize_velocity", "update_parameters_with_momentum")),
    "rmsprop": ("04_rmsprop.ipynb", ("initialize_rmsprop", "update_parameters_with_rmsprop")),
    "adam": ("05_adam.ipynb", ("initialize_adam", "update_parameters_with_adam")),
    "schedules": (
        "06_learning_rate_decay.ipynb",
        ("update_lr", "schedule_lr_decay", "exponential_decay", "sqrt_decay", "staircase_decay"),
    ),
    "saddle": ("07_local_optima_saddle_points.ipynb", ("classify_critical_point", "gradient_descent_2d")),
}


def module_of(function_name):
    """The exercise module that defines ``function_name``."""
    for module, (_, functions) in EXERCISES.items():
        if function_name in functions:
            return module
    raise KeyError(f"{function_name!r} is not an exercise function")
