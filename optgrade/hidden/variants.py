"""Accepted variants of the contract: epsilon inside the square root.

The contract writes ``W -= alpha * dW / (sqrt(s) + eps)``; the lecture also
writes ``sqrt(s + eps)``. The two are different numbers where ``s`` is small,
so graders compare with a reference for each placement instead of loosening
a tolerance. These are the inside-root references; the outside-root ones are
the solutions themselves.
"""

import numpy as np


def rmsprop_epsilon_inside_root(parameters, grads, s, learning_rate=0.01, beta2=0.999, epsilon=1e-8):
    """RMSprop with ``W -= alpha * dW / sqrt(s + eps)``; otherwise the contract's."""
    new_parameters, new_s = {}, {}
    for name, value in parameters.items():
        key = "d" + name
        grad = grads[key]
        new_s[key] = beta2 * s[key] + (1 - beta2) * np.square(grad)
        new_parameters[name] = value - learning_rate * grad / np.sqrt(new_s[key] + epsilon)
    return new_parameters, new_s


def adam_epsilon_inside_root(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """Adam with ``W -= alpha * v_corrected / sqrt(s_corrected + eps)``; otherwise the contract's."""
    new_parameters, new_v, new_s, v_corrected, s_corrected = {}, {}, {}, {}, {}
    for name, value in parameters.items():
        key = "d" + name
        grad = grads[key]
        new_v[key] = beta1 * v[key] + (1 - beta1) * grad
        new_s[key] = beta2 * s[key] + (1 - beta2) * np.square(grad)
        v_corrected[key] = new_v[key] / (1 - beta1**t)
        s_corrected[key] = new_s[key] / (1 - beta2**t)
        new_parameters[name] = value - learning_rate * v_corrected[key] / np.sqrt(s_corrected[key] + epsilon)
    return new_parameters, new_v, new_s, v_corrected, s_corrected
