"""The Airflow helpers, without Airflow: each is given a task context as Airflow passes it, and a local HTTP server
stands in for Pingback, recording what each ping sent."""

import json
import os
import threading
import unittest
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

from pingback.airflow import PingbackOperator, pingback_failure, pingback_success, pingback_task


class Recorder(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
        url = urlparse(self.path)
        Recorder.received.append({"path": url.path, "query": {k: v[0] for k, v in parse_qs(url.query).items()}, "auth": self.headers.get("Authorization"), "body": body})
        answer = json.dumps({"status": "success", "instance_id": "wfi_1"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *_args):
        pass


def task_context(task_id, duration=12.345):
    """A context as Airflow passes it to execute() and to callbacks."""
    return {
        "dag": SimpleNamespace(dag_id="etl_pipeline"),
        "task_instance": SimpleNamespace(task_id=task_id, try_number=1, duration=duration, dag_id="etl_pipeline"),
        "run_id": "scheduled__2024-01-15T00:00:00+00:00",
        "logical_date": datetime(2024, 1, 15, tzinfo=timezone.utc),
    }


SEED_AIRFLOW = {"dag_id": "etl_pipeline", "run_id": "scheduled__2024-01-15T00:00:00+00:00", "execution_date": "2024-01-15T00:00:00+00:00", "try_number": 1}


class AirflowHelpers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = HTTPServer(("127.0.0.1", 0), Recorder)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        os.environ["PINGBACK_URL"] = f"http://127.0.0.1:{cls.server.server_address[1]}"
        os.environ["PINGBACK_API_KEY"] = "pbk_airflow_test"

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()

    def setUp(self):
        Recorder.received.clear()

    def test_when_the_operator_runs_then_it_sends_the_seed_body_with_start(self):
        PingbackOperator(task_id="ping_start", workflow_id="dwf123abc", stage_path="1", start=True).execute(task_context("ping_start"))
        [ping] = Recorder.received
        self.assertEqual(ping["path"], "/dhk/dwf123abc")
        self.assertEqual(ping["query"], {"stagePath": "1", "start": "yes"})
        self.assertEqual(ping["auth"], "Bearer pbk_airflow_test")
        self.assertEqual(ping["body"], {"status": "success", "duration": 12.345, "airflow": {**SEED_AIRFLOW, "task_id": "ping_start"}})

    def test_when_a_decorated_task_returns_then_a_success_ping_with_final_goes_out_and_its_result_is_kept(self):
        @pingback_task(workflow_id="dwf123abc", stage_path="3", final=True, context=lambda: task_context("load"))
        def load(records):
            return {"loaded": records}

        self.assertEqual(load(7), {"loaded": 7})
        [ping] = Recorder.received
        self.assertEqual(ping["query"], {"stagePath": "3", "final": "yes"})
        self.assertEqual(ping["body"]["status"], "success")
        self.assertEqual(ping["body"]["airflow"], {**SEED_AIRFLOW, "task_id": "load"})
        self.assertIsInstance(ping["body"]["duration"], float)

    def test_when_a_decorated_task_raises_then_a_failure_ping_goes_out_and_the_error_goes_on(self):
        @pingback_task(workflow_id="dwf123abc", stage_path="2", context=lambda: task_context("transform"))
        def transform():
            raise ValueError("bad row")

        with self.assertRaises(ValueError):
            transform()
        [ping] = Recorder.received
        self.assertEqual(ping["body"]["status"], "failure")
        self.assertEqual(ping["body"]["airflow"]["task_id"], "transform")

    def test_when_callbacks_run_then_success_and_failure_send_the_seed_body(self):
        pingback_success("dwf123abc", "1", start=True)(task_context("extract"))
        pingback_failure("dwf123abc", "2")(task_context("transform", duration=3.5))
        success, failure = Recorder.received
        self.assertEqual(success["query"], {"stagePath": "1", "start": "yes"})
        self.assertEqual(success["body"], {"status": "success", "duration": 12.345, "airflow": {**SEED_AIRFLOW, "task_id": "extract"}})
        self.assertEqual(failure["query"], {"stagePath": "2"})
        self.assertEqual(failure["body"], {"status": "failure", "duration": 3.5, "airflow": {**SEED_AIRFLOW, "task_id": "transform"}})

    def test_when_pingback_cannot_be_reached_then_a_callback_logs_and_the_task_is_not_failed(self):
        os.environ["PINGBACK_URL"], saved = "http://127.0.0.1:9", os.environ["PINGBACK_URL"]
        try:
            with self.assertLogs("pingback.airflow", "WARNING"):
                pingback_success("dwf123abc", "1")(task_context("extract"))
        finally:
            os.environ["PINGBACK_URL"] = saved


if __name__ == "__main__":
    unittest.main()
