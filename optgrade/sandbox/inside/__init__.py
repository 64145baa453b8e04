"""What runs inside the sandbox: copied in beside each other, they import only the standard library and numpy.

worker  imports one student's modules and calls their functions for the trusted grader
wire    the length-prefixed JSON both sides speak (also imported by the trusted side, ``sandbox.client``)
"""
