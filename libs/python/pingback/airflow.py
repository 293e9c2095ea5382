"""Seed 002's Airflow integration: an operator, a decorator and success/failure callbacks that ping a stage.

Each ping sends the seed's body to /dhk/{workflow_id}?stagePath=…:
    {"status": "success" | "failure", "duration": seconds, "airflow": {dag_id, task_id, run_id, execution_date, try_number}}
Works without Airflow installed (the helpers read a task context as Airflow passes it), so it can be tested anywhere.
"""

import functools
import logging
import os
import time
from typing import Any, Callable, Dict, Mapping, Optional

from .client import Pingback, PingbackError

CONNECTION_ID = "pingback_default"
log = logging.getLogger("pingback.airflow")

try:  # The operator is an Airflow operator where Airflow is installed.
    from airflow.models import BaseOperator as _BaseOperator
except ImportError:  # pragma: no cover - exercised where Airflow is absent

    class _BaseOperator:  # type: ignore[no-redef]
        """What the operator needs of Airflow's BaseOperator when Airflow is not installed: its task id."""

        def __init__(self, task_id: str, **_kwargs: Any):
            self.task_id = task_id


def client() -> Pingback:
    """Credentials from the Airflow connection `pingback_default` (host: the URL, password: the API key), else the environment."""
    try:
        from airflow.hooks.base import BaseHook

        connection = BaseHook.get_connection(CONNECTION_ID)
        url = connection.host if "://" in (connection.host or "") else f"{connection.schema or 'https'}://{connection.host}"
        return Pingback(url=url, api_key=connection.password or os.environ.get("PINGBACK_API_KEY"))
    except Exception:  # Airflow absent, or no such connection: the environment says.
        return Pingback()


def _get(source: Any, name: str) -> Any:
    if source is None:
        return None
    if isinstance(source, Mapping):
        return source.get(name)
    return getattr(source, name, None)


def airflow_context(context: Mapping[str, Any]) -> Dict[str, Any]:
    """The seed's "airflow" object, from a task context as Airflow passes it (to callbacks, execute and get_current_context)."""
    task_instance = _get(context, "task_instance") or _get(context, "ti")
    dag = _get(context, "dag")
    execution_date = _get(context, "logical_date") or _get(context, "execution_date") or _get(task_instance, "execution_date")
    return {
        "dag_id": _get(dag, "dag_id") or _get(task_instance, "dag_id"),
        "task_id": _get(task_instance, "task_id") or _get(_get(context, "task"), "task_id"),
        "run_id": _get(context, "run_id") or _get(task_instance, "run_id"),
        "execution_date": execution_date.isoformat() if hasattr(execution_date, "isoformat") else execution_date,
        "try_number": _get(task_instance, "try_number"),
    }


def ping_from_context(workflow_id: str, stage_path: str, context: Mapping[str, Any], status: str, duration: Optional[float], start: bool = False, final: bool = False, pingback: Optional[Pingback] = None) -> Dict[str, Any]:
    """Pings the stage with the seed's body for this task context."""
    body = {"status": status, "duration": round(duration, 3) if duration is not None else None, "airflow": airflow_context(context)}
    return (pingback or client()).ping_stage(workflow_id, stage_path, start=start, final=final, body=body)


class PingbackOperator(_BaseOperator):
    """A task that pings a stage (seed 002's PingPulseOperator): `start=True` begins a run, `final=True` completes it."""

    def __init__(self, workflow_id: str, stage_path: str, start: bool = False, final: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.workflow_id = workflow_id
        self.stage_path = str(stage_path)
        self.start = start
        self.final = final

    def execute(self, context: Mapping[str, Any]) -> Dict[str, Any]:
        task_instance = _get(context, "task_instance") or _get(context, "ti")
        return ping_from_context(self.workflow_id, self.stage_path, context, "success", _get(task_instance, "duration"), self.start, self.final)


def _report(workflow_id: str, stage_path: str, context: Mapping[str, Any], status: str, duration: Optional[float], start: bool = False, final: bool = False) -> None:
    """A ping from inside a task or a callback: Pingback being unreachable or refusing it is logged, never the task's failure."""
    try:
        ping_from_context(workflow_id, stage_path, context, status, duration, start, final)
    except PingbackError as error:
        log.warning("could not ping stage %s of %s: %s", stage_path, workflow_id, error)


def _current_context() -> Mapping[str, Any]:
    try:
        from airflow.operators.python import get_current_context

        return get_current_context()
    except Exception:
        return {}


def pingback_task(workflow_id: str, stage_path: str, start: bool = False, final: bool = False, context: Optional[Callable[[], Mapping[str, Any]]] = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wraps a task function: after it returns, a success ping; if it raises, a failure ping (and the error goes on).

    In Airflow it is a TaskFlow task (airflow.decorators.task) whose context is the running task's; `context` gives
    another one (tests)."""

    def wrap(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            task_context = (context or _current_context)()
            started = time.monotonic()
            try:
                result = function(*args, **kwargs)
            except Exception:
                _report(workflow_id, str(stage_path), task_context, "failure", time.monotonic() - started, start)
                raise
            _report(workflow_id, str(stage_path), task_context, "success", time.monotonic() - started, start, final)
            return result

        try:
            from airflow.decorators import task

            return task(run)
        except ImportError:
            return run

    return wrap


def _callback(workflow_id: str, stage_path: str, status: str, start: bool, final: bool) -> Callable[[Mapping[str, Any]], None]:
    def callback(context: Mapping[str, Any]) -> None:
        task_instance = _get(context, "task_instance") or _get(context, "ti")
        _report(workflow_id, str(stage_path), context, status, _get(task_instance, "duration"), start, final)

    return callback


def pingback_success(workflow_id: str, stage_path: str, start: bool = False, final: bool = False) -> Callable[[Mapping[str, Any]], None]:
    """An `on_success_callback` that pings the stage with status success."""
    return _callback(workflow_id, stage_path, "success", start, final)


def pingback_failure(workflow_id: str, stage_path: str) -> Callable[[Mapping[str, Any]], None]:
    """An `on_failure_callback` that pings the stage with status failure (which fails the run)."""
    return _callback(workflow_id, stage_path, "failure", False, False)
