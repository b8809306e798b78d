"""Org sync from the platforms' directories (WeCom, DingTalk) into the people and teams tables."""
