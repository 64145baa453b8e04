"""Time the given training loop against a straightforward Coursera-style loop (not a test).

    .venv/bin/python benchmarks/bench_training.py [--epochs 5000] [--repeat 3]

Both train the published setup (make_moons 300/0.2/3, layers [2, 5, 2, 1], He init from
RandomState(3), batches of 64 shuffled with seed 11 + epoch, Adam at 0.0007) in this process;
the best of ``--repeat`` runs of each is printed with the ratio and both training accuracies,
which must be identical (the arithmetic is the same, only the bookkeeping differs).
"""

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from utils.data import load_moons  # noqa: E402
from utils.network import accuracy  # noqa: E402
from utils.training import train  # noqa: E402

# --- the Coursera-style loop: per-layer dict updates, caches, small functions ---


def initialize_parameters_he(layers_dims):
    rng = np.random.RandomState(3)
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = rng.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(2 / layers_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


def random_mini_batches(X, Y, mini_batch_size, seed):
    m = X.shape[1]
    permutation = list(np.random.RandomState(seed).permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation].reshape((1, m))
    mini_batches = []
    num_complete_minibatches = math.floor(m / mini_batch_size)
    for k in range(num_complete_minibatches):
        mini_batch_X = shuffled_X[:, k * mini_batch_size : (k + 1) * mini_batch_size]
        mini_batch_Y = shuffled_Y[:, k * mini_batch_size : (k + 1) * mini_batch_size]
        mini_batches.append((mini_batch_X, mini_batch_Y))
    if m % mini_batch_size != 0:
        mini_batch_X = shuffled_X[:, num_complete_minibatches * mini_batch_size :]
        mini_batch_Y = shuffled_Y[:, num_complete_minibatches * mini_batch_size :]
        mini_batches.append((mini_batch_X, mini_batch_Y))
    return mini_batches


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def relu(Z):
    return np.maximum(0, Z)


def linear_activation_forward(A_prev, W, b, activation):
    Z = np.dot(W, A_prev) + b
    A = sigmoid(Z) if activation == "sigmoid" else relu(Z)
    return A, (A_prev, W, b, Z)


def forward_propagation(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches


def compute_cost(AL, Y):
    logprobs = np.multiply(-np.log(AL), Y) + np.multiply(-np.log(1 - AL), 1 - Y)
    return np.sum(logprobs)


def linear_backward(dZ, cache):
    A_prev, W, b, Z = cache
    dW = np.dot(dZ, A_prev.T)
    db = np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def relu_backward(dA, cache):
    Z = cache[3]
    return np.multiply(dA, np.int64(Z > 0))


def backward_propagation(AL, Y, caches):
    grads = {}
    L = len(caches)
    m = AL.shape[1]
    dZ = 1.0 / m * (AL - Y)
    dA_prev, grads["dW" + str(L)], grads["db" + str(L)] = linear_backward(dZ, caches[L - 1])
    for l in reversed(range(1, L)):
        dZ = relu_backward(dA_prev, caches[l - 1])
        dA_prev, grads["dW" + str(l)], grads["db" + str(l)] = linear_backward(dZ, caches[l - 1])
    return grads


def initialize_adam(parameters):
    L = len(parameters) // 2
    v, s = {}, {}
    for l in range(1, L + 1):
        v["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        v["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)
        s["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        s["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)
    return v, s


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2
    v_corrected, s_corrected = {}, {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = "d" + p + str(l)
            v[key] = beta1 * v[key] + (1 - beta1) * grads[key]
            v_corrected[key] = v[key] / (1 - np.power(beta1, t))
            s[key] = beta2 * s[key] + (1 - beta2) * np.power(grads[key], 2)
            s_corrected[key] = s[key] / (1 - np.power(beta2, t))
            parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * v_corrected[key] / (
                np.sqrt(s_corrected[key]) + epsilon
            )
    return parameters, v, s, v_corrected, s_corrected


def coursera_model(X, Y, layers_dims, learning_rate=0.0007, mini_batch_size=64, num_epochs=5000):
    t = 0
    seed = 10
    m = X.shape[1]
    parameters = initialize_parameters_he(layers_dims)
    v, s = initialize_adam(parameters)
    costs = []
    for _ in range(num_epochs):
        seed = seed + 1
        cost_total = 0
        for minibatch_X, minibatch_Y in random_mini_batches(X, Y, mini_batch_size, seed):
            AL, caches = forward_propagation(minibatch_X, parameters)
            cost_total += compute_cost(AL, minibatch_Y)
            grads = backward_propagation(AL, minibatch_Y, caches)
            t = t + 1
            parameters, v, s, _, _ = update_parameters_with_adam(parameters, grads, v, s, t, learning_rate)
        costs.append(cost_total / m)
    return parameters


def coursera_accuracy(X, Y, parameters):
    AL, _ = forward_propagation(X, parameters)
    return float(np.mean((AL > 0.5)[0, :] == Y[0, :]))


# --- the benchmark ---


def best_time(run, repeat):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    X, Y = load_moons()
    layers_dims = [X.shape[0], 5, 2, 1]
    with np.errstate(divide="ignore", invalid="ignore"):  # the Coursera cost may take log(0); it is not used
        given, given_result = best_time(
            lambda: train(X, Y, layers_dims, "adam", num_epochs=args.epochs, impl="solutions", print_every=0),
            args.repeat,
        )
        plain, plain_parameters = best_time(
            lambda: coursera_model(X, Y, layers_dims, num_epochs=args.epochs), args.repeat
        )
    given_accuracy = accuracy(X, Y, given_result.parameters)
    plain_accuracy = coursera_accuracy(X, Y, plain_parameters)
    print(f"Adam, {args.epochs} epochs, best of {args.repeat}:")
    print(f"  given loop + solutions: {given:.3f} s   accuracy {given_accuracy:.4f}")
    print(f"  Coursera-style loop:    {plain:.3f} s   accuracy {plain_accuracy:.4f}")
    print(f"  speed-up: {plain / given:.2f}x")
    if given_accuracy != plain_accuracy:
        print("accuracies differ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
