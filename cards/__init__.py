"""One platform-neutral card model, typed button payloads, storage, and a renderer per platform."""
