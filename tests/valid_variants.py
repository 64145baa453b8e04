"""Valid variants of the exercises (test_visible_hidden_agreement grades them); near-misses (test_hidden_variants)."""

from fixtures.hidden.students import StudentFolder, reference_source, replace_function

GD_LOOP = """
def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
    return parameters
"""
GD_IN_PLACE_ON_COPIES = """
def update_parameters_with_gd(parameters, grads, learning_rate):
    new = {name: value.copy() for name, value in parameters.items()}
    for name in new:
        new[name] -= learning_rate * grads["d" + name]
    return new
"""
MOMENTUM_LOOP = """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for p in ("W", "b"):
            v["d" + p + str(l)] = beta * v["d" + p + str(l)] + (1 - beta) * grads["d" + p + str(l)]
            parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * v["d" + p + str(l)]
    return parameters, v
"""
RMSPROP_INSIDE_POWER = """
def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta2=0.999, epsilon=1e-8):
    s = {key: value.copy() for key, value in s.items()}
    parameters = dict(parameters)
    for name in list(parameters):
        g = grads["d" + name]
        s["d" + name] = beta2 * s["d" + name] + (1 - beta2) * np.power(g, 2)
        parameters[name] = parameters[name] - learning_rate * g / np.sqrt(s["d" + name] + epsilon)
    return parameters, s
"""
RMSPROP_OUTSIDE_PRODUCT = """
def update_parameters_with_rmsprop(parameters, grads, s, learning_rate=0.01, beta2=0.999, epsilon=1e-8):
    new_parameters, new_s = {}, {}
    for name in parameters:
        g = grads["d" + name]
        new_s["d" + name] = beta2 * s["d" + name] + (1 - beta2) * (g * g)
        new_parameters[name] = parameters[name] - learning_rate * g / (new_s["d" + name] ** 0.5 + epsilon)
    return new_parameters, new_s
"""
ADAM_LECTURE = """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2
    v_corrected, s_corrected = {}, {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = "d" + p + str(l)
            v[key] = beta1 * v[key] + (1 - beta1) * grads[key]
            s[key] = beta2 * s[key] + (1 - beta2) * grads[key] ** 2
            v_corrected[key] = v[key] / (1 - np.power(beta1, t))
            s_corrected[key] = s[key] / (1 - np.power(beta2, t))
            parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * v_corrected[key] / np.sqrt(
                s_corrected[key] + epsilon
            )
    return parameters, v, s, v_corrected, s_corrected
"""
ADAM_THREE_VALUES = """
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    new_parameters, new_v, new_s = {}, {}, {}
    for name, value in parameters.items():
        key = "d" + name
        new_v[key] = beta1 * v[key] + (1 - beta1) * grads[key]
        new_s[key] = beta2 * s[key] + (1 - beta2) * grads[key] * grads[key]
        corrected = new_v[key] / (1 - beta1**t)
        new_parameters[name] = value - learning_rate * corrected / (np.sqrt(new_s[key] / (1 - beta2**t)) + epsilon)
    return new_parameters, new_v, new_s
"""
SCHEDULES_NUMPY = {
    "update_lr": """
def update_lr(learning_rate0, epoch_num, decay_rate):
    if epoch_num < 0:
        raise ValueError("negative")
    return np.float64(learning_rate0) / (1 + decay_rate * np.float64(epoch_num))
""",
    "schedule_lr_decay": """
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    if epoch_num < 0:
        raise ValueError("negative")
    return learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval))
""",
    "exponential_decay": """
def exponential_decay(learning_rate0, epoch_num, decay_rate=0.95):
    if epoch_num < 0:
        raise ValueError("negative")
    return learning_rate0 * np.power(decay_rate, epoch_num)
""",
}
MINIBATCH_GLOBAL_SEED_TUPLES = """
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    permutation = list(np.random.permutation(m))
    X, Y = X[:, permutation], Y[:, permutation].reshape((1, m))
    batches = [[X[:, k : k + mini_batch_size], Y[:, k : k + mini_batch_size]] for k in range(0, m, mini_batch_size)]
    return tuple(batches)
"""
MINIBATCH_OTHER_ORDER = """
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    permutation = np.random.RandomState(seed + 1).permutation(m)
    X, Y = X[:, permutation], Y[:, permutation]
    return [(X[:, k : k + mini_batch_size], Y[:, k : k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
"""
MINIBATCH_GLOBAL_SEED = """
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    permutation = list(np.random.permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation].reshape((1, m))
    mini_batches = []
    num_complete = m // mini_batch_size
    for k in range(num_complete):
        mini_batch_X = shuffled_X[:, k * mini_batch_size : (k + 1) * mini_batch_size]
        mini_batch_Y = shuffled_Y[:, k * mini_batch_size : (k + 1) * mini_batch_size]
        mini_batches.append((mini_batch_X, mini_batch_Y))
    if m % mini_batch_size != 0:
        start = num_complete * mini_batch_size
        mini_batches.append((shuffled_X[:, start:], shuffled_Y[:, start:]))
    return mini_batches
"""
MINIBATCH_WHILE_LOOP = """
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    order = np.random.RandomState(seed).permutation(X.shape[1])
    mini_batches, start = [], 0
    while start < X.shape[1]:
        columns = order[start : start + mini_batch_size]
        mini_batches.append((X[:, columns], Y[:, columns]))
        start += mini_batch_size
    return mini_batches
"""
EWA_APPEND = """
def ewa(theta, beta):
    averages, V = [], 0.0
    for value in theta:
        V = beta * V + (1 - beta) * value
        averages.append(V)
    return np.array(averages, dtype=float)
"""
CLASSIFY_SYMMETRISED_IN_PLACE = """
def classify_critical_point(hessian, tol=1e-8):
    hessian = np.asarray(hessian, dtype=float)
    hessian += hessian.T
    hessian /= 2
    eigenvalues = np.linalg.eigvalsh(hessian)
    if np.any(eigenvalues > tol) and np.any(eigenvalues < -tol):
        return "saddle"
    if np.any(np.abs(eigenvalues) <= tol):
        return "degenerate"
    return "minimum" if eigenvalues[0] > 0 else "maximum"
"""
GD2D_GRADIENT_AHEAD = """
def gradient_descent_2d(grad, x0, learning_rate, num_steps):
    x = np.array(x0, dtype=float)
    path = [x.copy()]
    g = np.asarray(grad(x), dtype=float)
    for _ in range(num_steps):
        x = x - learning_rate * g
        path.append(x.copy())
        g = np.asarray(grad(x), dtype=float)
    return np.array(path)
"""
MOMENTUM_RETURNS_LIST = """
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_parameters, new_v = {}, {}
    for name in parameters:
        new_v["d" + name] = beta * v["d" + name] + (1 - beta) * grads["d" + name]
        new_parameters[name] = parameters[name] - learning_rate * new_v["d" + name]
    return [new_parameters, new_v]
"""
ADAM_INITIALIZE_LIST = """
def initialize_adam(parameters):
    return [{"d" + name: np.zeros(value.shape) for name, value in parameters.items()} for _ in range(2)]
"""
SCHEDULES_IMPORT = "import numpy as np\n"

VALID = [
    ("gd", "update_parameters_with_gd", GD_LOOP),
    ("gd", "update_parameters_with_gd", GD_IN_PLACE_ON_COPIES),
    ("momentum", "update_parameters_with_momentum", MOMENTUM_LOOP),
    ("momentum", "update_parameters_with_momentum", MOMENTUM_RETURNS_LIST),
    ("adam", "initialize_adam", ADAM_INITIALIZE_LIST),
    ("rmsprop", "update_parameters_with_rmsprop", RMSPROP_INSIDE_POWER),
    ("rmsprop", "update_parameters_with_rmsprop", RMSPROP_OUTSIDE_PRODUCT),
    ("adam", "update_parameters_with_adam", ADAM_LECTURE),
    ("minibatch", "random_mini_batches", MINIBATCH_GLOBAL_SEED_TUPLES),
    ("minibatch", "random_mini_batches", MINIBATCH_GLOBAL_SEED),
    ("minibatch", "random_mini_batches", MINIBATCH_WHILE_LOOP),
    ("ewa", "ewa", EWA_APPEND),
    ("saddle", "classify_critical_point", CLASSIFY_SYMMETRISED_IN_PLACE),
    ("saddle", "gradient_descent_2d", GD2D_GRADIENT_AHEAD),
    *[("schedules", name, source) for name, source in SCHEDULES_NUMPY.items()],
]
IDS = [
    "gd-loop",
    "gd-copies",
    "momentum-loop",
    "momentum-returns-list",
    "initialize-adam-list",
    "rmsprop-inside-power",
    "rmsprop-product",
    "adam-lecture",
    "minibatch-global-seed-tuples",
    "minibatch-global-seed",
    "minibatch-while-loop",
    "ewa-append",
    "classify-symmetrised-in-place",
    "gd2d-gradient-ahead",
    "update_lr-numpy",
    "schedule-numpy-floor",
    "exponential-power",
]


def student_folder(tmp_path, module, function, definition):
    """A student folder whose ``module`` is the reference with ``function`` replaced by ``definition``."""
    folder = StudentFolder(tmp_path)
    source = replace_function(reference_source(module), function, definition)
    folder.write(module, (SCHEDULES_IMPORT if module == "schedules" else "") + source)
    return folder
