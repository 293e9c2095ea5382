import requests
import json  # added for the test: prints each result as JSON
import os  # added for the test: the key and base URL come from the environment

PINGPULSE_URL = f"{os.environ['PINGBACK_API']}/dhk/YOUR_WORKFLOW_ID"
API_KEY = os.environ["PINGBACK_KEY"]

def ping_stage(stage_path, payload=None, start=False, final=False):
    params = {"key": API_KEY, "stagePath": stage_path}
    if start:
        params["start"] = "yes"
    if final:
        params["final"] = "yes"

    response = requests.post(PINGPULSE_URL, params=params, json=payload or {})
    return response.json()

# Usage
print(json.dumps(ping_stage("1", {"step": "extract"}, start=True)))
print(json.dumps(ping_stage("2", {"records": 1000})))
print(json.dumps(ping_stage("3", {"status": "complete"}, final=True)))
