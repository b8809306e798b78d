"""The sandbox: a web chat page that behaves like a WeCom client, backed by the WeCom simulator."""
