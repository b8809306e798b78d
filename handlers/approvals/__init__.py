"""Approvals: work orders routed along chains, decided by tapping cards (issue 12)."""
