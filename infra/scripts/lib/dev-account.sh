# shellcheck shell=bash
# The development account and channel: created once through the running gateway and kept in .pingback/.env
# (DEV_API_KEY, DEV_CHANNEL_ID, DEV_CHANNEL_TOKEN, DEV_INBOX_URL). A gateway without those routes gets a warning,
# not a failure. Sourced, never run (after log.sh, env-file.sh, services.sh).

# Reads: URL, bearer token, JSON body, then the names of the fields to print from a 201 answer, one per line.
POST_JSON_JS=$(
  cat <<'JS'
const [url, bearer, body, ...fields] = process.argv.slice(1);
fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
  body,
  signal: AbortSignal.timeout(10000),
}).then(async (response) => {
  const text = await response.text();
  if (response.status !== 201) {
    console.error(`POST ${new URL(url).pathname} answered ${response.status}: ${text.slice(0, 300)}`);
    process.exit(1);
  }
  const json = JSON.parse(text);
  const missing = fields.filter((field) => typeof json[field] !== 'string');
  if (missing.length > 0) {
    console.error(`POST ${new URL(url).pathname} answered without ${missing.join(', ')}`);
    process.exit(1);
  }
  for (const field of fields) console.log(json[field]);
}, (error) => {
  console.error(`POST ${url} failed: ${error.message}`);
  process.exit(1);
});
JS
)

ensure_dev_account() {
  local gateway="http://127.0.0.1:$GATEWAY_PORT" answer=()
  if [ -z "$(env_file_get DEV_API_KEY)" ]; then
    say "creating the development account"
    mapfile -t answer < <(node -e "$POST_JSON_JS" "$gateway/admin/accounts" "$(env_file_get PINGBACK_ADMIN_KEY)" \
      '{"name":"Development"}' api_key || true)
    if ((${#answer[@]} != 1)); then
      warn "no development account yet (the gateway did not create one); npm start tries again next time"
      return 0
    fi
    env_file_set DEV_API_KEY "${answer[0]}"
  fi
  if [ -z "$(env_file_get DEV_CHANNEL_ID)" ]; then
    say "creating the development channel"
    mapfile -t answer < <(node -e "$POST_JSON_JS" "$gateway/api/channels" "$(env_file_get DEV_API_KEY)" \
      '{"name":"Development","destinations":[]}' id token inbox_url || true)
    if ((${#answer[@]} != 3)); then
      warn "no development channel yet (the gateway did not create one); npm start tries again next time"
      return 0
    fi
    env_file_set DEV_CHANNEL_ID "${answer[0]}"
    env_file_set DEV_CHANNEL_TOKEN "${answer[1]}"
    env_file_set DEV_INBOX_URL "${answer[2]}"
  fi
}

print_dev_credentials() {
  local token
  token=$(env_file_get DEV_CHANNEL_TOKEN)
  if [ -z "$token" ]; then
    echo "Development credentials: none yet (see the warning above). Admin key: PINGBACK_ADMIN_KEY in $ENV_FILE"
    return
  fi
  cat <<TEXT
Development credentials (also in $ENV_FILE):
  API key        $(env_file_get DEV_API_KEY)
  channel        $(env_file_get DEV_CHANNEL_ID)
  channel token  $token
  inbox          $(env_file_get DEV_INBOX_URL)

What to try first:
  1. Send a ping with two buttons:
       curl -s -X POST http://localhost:$GATEWAY_PORT/v1/send/$token -H 'Content-Type: application/json' \\
         -d '{"title":"Deploy to production?","body":"v2.1.0","actions":[{"type":"button","label":"Deploy","key":"deploy","style":"primary"},{"type":"button","label":"Cancel","key":"cancel","style":"destructive"}]}'
     It answers {"ok":true,"id":"msg_…"}: MSG_ID=msg_…
  2. Open the inbox in a browser and press a button: $(env_file_get DEV_INBOX_URL)
  3. Poll for the answer:
       curl -s http://localhost:$GATEWAY_PORT/v1/callback/$token/\$MSG_ID
  4. Monitor a pipeline stage by stage (seed 002; the workflow is made on the fly):
       curl -s "http://localhost:$GATEWAY_PORT/dhk/ml_pipeline?stagePath=1&start=yes&key=$(env_file_get DEV_API_KEY)"
       curl -s "http://localhost:$GATEWAY_PORT/dhk/ml_pipeline/tree?key=$(env_file_get DEV_API_KEY)"
  5. Ask a person for a decision (seed 002's approvals): make yourself the default reviewer, then ask:
       curl -s -X POST http://localhost:$GATEWAY_PORT/api/reviewers -H "Authorization: Bearer $(env_file_get DEV_API_KEY)" \\
         -H 'Content-Type: application/json' -d '{"name":"Me","channels":["$(env_file_get DEV_CHANNEL_ID)"],"default":true}'
       curl -s -X POST "http://localhost:$GATEWAY_PORT/api/approvals?key=$(env_file_get DEV_API_KEY)" \\
         -H 'Content-Type: application/json' -d '{"context":"Publish the Q4 report?","timeout_seconds":300}'
     It answers {"approval_id":"apr_…",…}: APPROVAL_ID=apr_…. Approve or deny it in the inbox, and wait for it:
       curl -s "http://localhost:$GATEWAY_PORT/api/approvals/\$APPROVAL_ID?wait=30&key=$(env_file_get DEV_API_KEY)"
  6. Track what an agent's LLM calls cost (seed 002's cost fields), then read the run's timeline:
       curl -s -X POST "http://localhost:$GATEWAY_PORT/dhk/agent_run?stagePath=1&start=yes&key=$(env_file_get DEV_API_KEY)" \
         -H 'Content-Type: application/json' -d '{"model_id":"gpt-4o-mini","usage":{"input_tokens":10000,"output_tokens":2000},"task":"summarise"}'
     It answers {…,"instance_id":"wfi_…",…}: INSTANCE_ID=wfi_…
       curl -s "http://localhost:$GATEWAY_PORT/api/instances/\$INSTANCE_ID/timeline?key=$(env_file_get DEV_API_KEY)"
TEXT
}
