"""Pingback from Python: ping and wait for the answer, request approvals, report workflow stages."""

from .client import Answer, Pingback, PingbackError, ping_and_wait, request_approval

__all__ = ["Answer", "Pingback", "PingbackError", "ping_and_wait", "request_approval"]
