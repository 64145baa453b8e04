"""The workbook's Python code.

Exercise modules (you implement them, one notebook each): ``minibatch``,
``gd``, ``ewa``, ``momentum``, ``rmsprop``, ``adam``, ``schedules``,
``saddle``. Given modules (read them, don't edit them): ``data``,
``network``, ``training``, ``plotting``, ``checks``, ``surfaces``.
"""
