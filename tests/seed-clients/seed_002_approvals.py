import requests
import time
import json  # added for the test: prints the result as JSON
import os  # added for the test: the key and base URL come from the environment
import sys  # added for the test: the arguments of the call come from the command line

PINGPULSE_KEY = os.environ["PINGBACK_KEY"]
BASE_URL = os.environ["PINGBACK_API"]

def request_approval(context, timeout=300, default="deny"):
    """Request human approval. Returns True if approved, False if denied."""

    # Step 1: Create approval request
    resp = requests.post(
        f"{BASE_URL}/api/approvals",
        params={"key": PINGPULSE_KEY},
        json={
            "context": context,
            "timeout_seconds": timeout,
            "timeout_action": default
        }
    )
    approval = resp.json()
    approval_id = approval["approval_id"]
    print(f"Approval requested: {approval_id}")

    # Step 2: Poll until decided
    while True:
        resp = requests.get(
            f"{BASE_URL}/api/approvals/{approval_id}",
            params={"key": PINGPULSE_KEY}
        )
        status = resp.json()

        if status["result"] is not None:
            return status["result"] == 1

        print(f"Waiting... {status['seconds_remaining']}s remaining")
        time.sleep(5)

# Usage (for the test: the call's arguments from the command line, its result printed as JSON)
context, timeout, default = sys.argv[1], int(sys.argv[2]), sys.argv[3]
print(json.dumps({"approved": request_approval(context, timeout, default)}))
