import requests
import json  # added for the test: prints each result as JSON
import os  # added for the test: the key and base URL come from the environment

PINGPULSE_KEY = os.environ["PINGBACK_KEY"]
BASE_URL = os.environ["PINGBACK_API"]

def ping_stage(workflow_id, stage, **metadata):
    """Ping a static workflow stage."""
    url = f"{BASE_URL}/shk/{workflow_id}"
    params = {"stage": stage, "key": PINGPULSE_KEY}
    return requests.get(url, params=params).json()

def ping_dynamic(workflow_id, stage_path, start=False, **kwargs):
    """Ping a dynamic workflow stage."""
    url = f"{BASE_URL}/dhk/{workflow_id}"
    params = {"stagePath": stage_path, "key": PINGPULSE_KEY}
    if start:
        params["start"] = "yes"
    if kwargs.get("stagename"):
        params["stagename"] = kwargs["stagename"]
    return requests.get(url, params=params).json()

# Usage
print(json.dumps(ping_stage("swf123", 1)))
print(json.dumps(ping_dynamic("ml_pipeline", "1", start=True)))
print(json.dumps(ping_dynamic("ml_pipeline", "2.1", stagename="Training")))
