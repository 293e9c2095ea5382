"""A Pingback API client on the standard library (urllib): pings, answers, approvals and stage pings."""

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, Optional, Sequence, Tuple, Union

Button = Union[str, Tuple[str, str]]

# Seed 002's approvals hold a poll up to 30 s; a little less leaves room for the network.
APPROVAL_HOLD_SECONDS = 25


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Pingback's API never redirects: following one would send the API key to wherever it points."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102 - urllib's hook
        return None


_opener = urllib.request.build_opener(_NoRedirects)


class PingbackError(Exception):
    """The API refused a call (status and its stable error code), or could not be reached (status 0)."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{status} {code}: {message}" if status else message)
        self.status = status
        self.code = code


@dataclass
class Answer:
    """How a ping ended: `submitted` with the chosen key and any inputs, or why not (expired, already_read, failed, timed_out)."""

    status: str
    choice: Optional[str] = None
    responses: Dict[str, Any] = field(default_factory=dict)

    @property
    def answered(self) -> bool:
        return self.status == "submitted"


def _button(button: Button) -> Dict[str, str]:
    key, label = (button, button) if isinstance(button, str) else button
    return {"type": "button", "key": key, "label": label}


class Pingback:
    """Pingback's API with an account's credentials: the API key (approvals, stages) and a channel token (pings)."""

    def __init__(self, url: Optional[str] = None, api_key: Optional[str] = None, channel_token: Optional[str] = None, timeout: float = 15.0):
        self.url = (url or os.environ.get("PINGBACK_URL") or "http://localhost:8080").rstrip("/")
        self.api_key = api_key or os.environ.get("PINGBACK_API_KEY")
        self.channel_token = channel_token or os.environ.get("PINGBACK_TOKEN")
        self.timeout = timeout

    def call(self, method: str, path: str, body: Optional[Dict[str, Any]] = None, query: Optional[Dict[str, Any]] = None, key: bool = True, timeout: Optional[float] = None) -> Tuple[int, Dict[str, Any]]:
        """One call; the status and the JSON body, whatever the status (a network failure raises PingbackError)."""
        query = {name: value for name, value in (query or {}).items() if value is not None}
        url = f"{self.url}{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if key:
            if not self.api_key:
                raise PingbackError(0, "no_api_key", "no API key: pass api_key= or set PINGBACK_API_KEY")
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with _opener.open(request, timeout=timeout or self.timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        except (urllib.error.URLError, OSError) as error:
            raise PingbackError(0, "unreachable", f"cannot reach Pingback at {self.url}: {error}") from error
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            if 200 <= status < 300:
                raise PingbackError(status, "not_json", f"{self.url} answered {status} with something that is not Pingback's JSON")
            body = {}
        return status, body

    def _expect(self, status: int, answer: Tuple[int, Dict[str, Any]]) -> Dict[str, Any]:
        got, body = answer
        if got != status:
            raise PingbackError(got, str(body.get("error", "")), str(body.get("message", "")))
        return body

    def _token(self) -> str:
        if not self.channel_token:
            raise PingbackError(0, "no_channel_token", "no channel token: pass channel_token= or set PINGBACK_TOKEN")
        return urllib.parse.quote(self.channel_token, safe="")

    def send(self, title: str, body: Optional[str] = None, buttons: Sequence[Button] = (), priority: Optional[str] = None, expires_in: Optional[int] = None, actions: Optional[Iterable[Dict[str, Any]]] = None) -> str:
        """Sends a notification on the channel (seed 000's POST /v1/send/{token}); returns its message id."""
        payload: Dict[str, Any] = {"title": title}
        if body is not None:
            payload["body"] = body
        all_actions = list(actions or []) + [_button(button) for button in buttons]
        if all_actions:
            payload["actions"] = all_actions
        if priority is not None:
            payload["priority"] = priority
        if expires_in is not None:
            payload["expires_in"] = expires_in
        return self._expect(200, self.call("POST", f"/v1/send/{self._token()}", payload, key=False))["id"]

    def poll(self, message_id: str) -> Dict[str, Any]:
        """Seed 000's poll: pending, submitted (once), already_read, expired or failed."""
        return self._expect(200, self.call("GET", f"/v1/callback/{self._token()}/{urllib.parse.quote(message_id, safe='')}", key=False))

    def ping_and_wait(self, title: str, body: Optional[str] = None, buttons: Sequence[Button] = (), timeout: float = 300, poll_interval: float = 1.0, **send_options: Any) -> Answer:
        """Sends a ping and polls until it is answered or no answer can come; `timeout` bounds the wait (status timed_out)."""
        message_id = self.send(title, body, buttons, **send_options)
        give_up_at = time.monotonic() + timeout
        while True:
            polled = self.poll(message_id)
            status = polled.get("status")
            if status == "submitted":
                result = polled.get("result") or {}
                return Answer("submitted", result.get("triggered_by"), result.get("responses") or {})
            if status != "pending":
                return Answer(str(status))
            if time.monotonic() >= give_up_at:
                return Answer("timed_out")
            time.sleep(poll_interval)

    def create_approval(self, context: str, timeout_seconds: int = 300, timeout_action: str = "deny", **fields: Any) -> Dict[str, Any]:
        """Seed 002's POST /api/approvals; returns its body (approval_id, status, result, expires_at)."""
        return self._expect(201, self.call("POST", "/api/approvals", {"context": context, "timeout_seconds": timeout_seconds, "timeout_action": timeout_action, **fields}))

    def get_approval(self, approval_id: str, wait: int = 0) -> Dict[str, Any]:
        """Seed 002's GET /api/approvals/{id}; `wait` (up to 30 s) holds the read until a decision."""
        path = f"/api/approvals/{urllib.parse.quote(approval_id, safe='')}"
        return self._expect(200, self.call("GET", path, query={"wait": wait or None}, timeout=wait + self.timeout))

    def request_approval(self, context: str, timeout_seconds: int = 300, timeout_action: str = "deny", **fields: Any) -> bool:
        """Asks the account's reviewers and waits for the decision: True approved, False denied (or timed out to deny)."""
        approval_id = self.create_approval(context, timeout_seconds, timeout_action, **fields)["approval_id"]
        while True:
            approval = self.get_approval(approval_id, wait=APPROVAL_HOLD_SECONDS)
            if approval.get("result") is not None:
                return approval["result"] == 1

    def ping_stage(self, workflow_id: str, stage_path: str, start: bool = False, final: bool = False, body: Optional[Dict[str, Any]] = None, **query: Any) -> Dict[str, Any]:
        """Seed 002's dynamic stage ping, POST /dhk/{workflow_id}?stagePath=…, with a JSON body."""
        params = {"stagePath": stage_path, "start": "yes" if start else None, "final": "yes" if final else None, **query}
        return self._expect(200, self.call("POST", f"/dhk/{urllib.parse.quote(workflow_id, safe='')}", body or {}, query=params))


def ping_and_wait(title: str, body: Optional[str] = None, buttons: Sequence[Button] = (), timeout: float = 300, **options: Any) -> Optional[str]:
    """With the environment's credentials: the chosen key, or None when no answer came."""
    return Pingback().ping_and_wait(title, body, buttons, timeout, **options).choice


def request_approval(context: str, timeout_seconds: int = 300, timeout_action: str = "deny", **fields: Any) -> bool:
    """With the environment's credentials: True approved, False denied."""
    return Pingback().request_approval(context, timeout_seconds, timeout_action, **fields)
