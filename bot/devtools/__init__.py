"""Tools for trying and testing the bot without a platform account.

``sim`` speaks WeCom's and DingTalk's server side on 127.0.0.1, ``sandbox`` is the chat page that
drives the WeCom simulator, ``demo`` seeds a demo organisation and wires demo mode. Nothing in the
framework (``bot/``) or the features imports from here; demo mode and the tests do.
"""
