#!/bin/bash
# Complete "Ping it Back" approval script
TOKEN="${PINGBACK_TOKEN}"
API="${PINGBACK_API}"

# Send notification with buttons
RESPONSE=$(curl -s -X POST "$API/v1/send/$TOKEN" \
  -H 'Content-Type: application/json' \
  -d '{
    "title": "Deploy to Production?",
    "body": "Version 2.1.0 ready for release",
    "priority": "high",
    "actions": [
      {"type": "button", "label": "Deploy", "key": "deploy", "style": "primary"},
      {"type": "button", "label": "Cancel", "key": "cancel", "style": "destructive"}
    ]
  }')

MSG_ID=$(echo $RESPONSE | jq -r '.id')
echo "📱 Notification sent. Waiting for approval..."

# Poll for response (max 5 minutes)
TIMEOUT=300
ELAPSED=0
INTERVAL=3

while [ $ELAPSED -lt $TIMEOUT ]; do
  RESULT=$(curl -s "$API/v1/callback/$TOKEN/$MSG_ID")
  STATUS=$(echo $RESULT | jq -r '.status')

  case $STATUS in
    "submitted")
      ACTION=$(echo $RESULT | jq -r '.result.triggered_by')
      if [ "$ACTION" = "deploy" ]; then
        echo "✅ Approved! Starting deployment..."
        # Your deploy command here
        exit 0
      else
        echo "❌ Cancelled by user"
        exit 1
      fi
      ;;
    "expired"|"already_read")
      echo "⏰ Response expired or already used"
      exit 1
      ;;
    "pending")
      sleep $INTERVAL
      ELAPSED=$((ELAPSED + INTERVAL))
      ;;
  esac
done

echo "⏰ Timeout waiting for approval"
exit 1
