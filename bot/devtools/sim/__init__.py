"""Local stand-ins for the platforms (WeCom, DingTalk): the server side of their real protocols.

Bound to 127.0.0.1 only; used by the tests, the benchmarks and demo mode.
"""
