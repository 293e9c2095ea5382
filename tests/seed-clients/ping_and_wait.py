import requests
import time
import json  # added for the test: prints the result as JSON (last line)
import os  # added for the test: TOKEN and API come from the environment

TOKEN = os.environ["PINGBACK_TOKEN"]
API = os.environ["PINGBACK_API"]

def ping_and_wait(title, body, actions, timeout=300):
    """Send notification and wait for response."""

    # Send the notification
    response = requests.post(
        f"{API}/v1/send/{TOKEN}",
        json={"title": title, "body": body, "actions": actions}
    )
    msg_id = response.json()["id"]

    # Poll for response
    start = time.time()
    while time.time() - start < timeout:
        result = requests.get(f"{API}/v1/callback/{TOKEN}/{msg_id}").json()

        if result["status"] == "submitted":
            return result["result"]
        elif result["status"] in ("expired", "already_read", "failed"):
            return None

        time.sleep(3)

    return None  # Timeout

# Usage
result = ping_and_wait(
    title="Deploy to Production?",
    body="Version 2.1.0",
    actions=[
        {"type": "button", "label": "Deploy", "key": "deploy", "style": "primary"},
        {"type": "button", "label": "Cancel", "key": "cancel", "style": "destructive"}
    ]
)

if result and result["triggered_by"] == "deploy":
    print("Deploying...")
else:
    print("Cancelled or timeout")

print(json.dumps(result))  # added for the test
