# Get instance history for debugging or retry logic
import requests
import os  # added for the test: the key and base URL come from the environment

BASE_URL = os.environ["PINGBACK_API"]
YOUR_JWT_TOKEN = os.environ["PINGBACK_KEY"]  # Pingback's access_token cookie is the account's API key

response = requests.get(
    f"{BASE_URL}/api/workflows/my_pipeline/instances",
    cookies={"access_token": YOUR_JWT_TOKEN}  # Or use session auth
)
data = response.json()

# Check if there's a running instance
if data["running_instance"]:
    print(f"Active instance: {data['running_instance']['id']}")

# Analyze recent failures
for inst in data["recent_instances"]:
    if inst["status"] == "failed":
        print(f"Failed: {inst['id']} - {inst.get('failure_reason', 'Unknown')}")
        # Inspect stage_statuses to find where it failed
        for stage_key, stage_info in inst["stage_statuses"].items():
            if stage_info["status"] != "healthy":
                print(f"  Stage {stage_key}: {stage_info['status']}")
