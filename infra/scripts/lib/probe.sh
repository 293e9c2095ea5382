# shellcheck shell=bash
# Asks a server whether it is ready, in its own protocol, with nothing but Node: Postgres must accept a startup
# packet (not "starting up"), Redis must answer PING (not LOADING), RabbitMQ must open an AMQP handshake, an HTTP
# server must answer at all. Sourced, never run.

# The probe reads: kind, URL. It exits 0 when ready, 1 when not (refused, closed, timed out or still starting).
PROBE_JS=$(
  cat <<'JS'
const net = require('node:net');
const tls = require('node:tls');
const [kind, raw] = process.argv.slice(1);
const url = new URL(raw);
const secure = ['rediss:', 'amqps:', 'https:'].includes(url.protocol);
const defaultPorts = { postgres: 5432, redis: secure ? 6380 : 6379, amqp: secure ? 5671 : 5672, http: secure ? 443 : 80, tcp: 0 };
const port = Number(url.port || defaultPorts[kind]);
const host = url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
const done = (ready) => process.exit(ready ? 0 : 1);

function postgresStartup() {
  const user = decodeURIComponent(url.username || 'postgres');
  const database = decodeURIComponent(url.pathname.slice(1) || user);
  const body = Buffer.from(`user\0${user}\0database\0${database}\0\0`);
  const packet = Buffer.alloc(8 + body.length);
  packet.writeInt32BE(packet.length, 0);
  packet.writeInt32BE(196608, 4); // protocol 3.0
  body.copy(packet, 8);
  return packet;
}

// A TLS endpoint is ready when the TCP connection opens; speaking the protocol over TLS is not worth it here.
const socket = secure && kind !== 'postgres'
  ? tls.connect({ host, port, rejectUnauthorized: false }, () => done(true))
  : net.connect({ host, port });
socket.setTimeout(2000, () => done(false));
socket.on('error', () => done(false));
if (!secure || kind === 'postgres') {
  socket.on('connect', () => {
    if (kind === 'postgres') socket.write(postgresStartup());
    else if (kind === 'redis') socket.write('PING\r\n');
    else if (kind === 'amqp') socket.write(Buffer.from([65, 77, 81, 80, 0, 0, 9, 1]));
    else if (kind === 'http') socket.write(`GET / HTTP/1.0\r\nHost: ${host}\r\n\r\n`);
    else done(true);
  });
  socket.on('data', (data) => {
    const text = data.toString('latin1');
    if (kind === 'postgres') done(text[0] === 'R' || (text[0] === 'E' && !text.includes('57P03')));
    else if (kind === 'redis') done(!text.startsWith('-LOADING'));
    else if (kind === 'amqp') done(data[0] === 1);
    else done(text.startsWith('HTTP/'));
  });
  socket.on('end', () => done(false));
}
JS
)

# probe_ready KIND URL: KIND is postgres, redis, amqp, http or tcp (the port is open).
probe_ready() {
  node -e "$PROBE_JS" "$1" "$2" >/dev/null 2>&1
}

# wait_ready KIND URL SECONDS LABEL: waits until probe_ready passes, or fails with a message naming LABEL.
wait_ready() {
  local kind=$1 url=$2 seconds=$3 label=$4 deadline
  deadline=$((SECONDS + seconds))
  until probe_ready "$kind" "$url"; do
    ((SECONDS < deadline)) || die "$label is not ready at $(redact_url "$url") after ${seconds}s"
    sleep 1
  done
}

# redact_url URL: the URL with its password hidden, for messages.
redact_url() {
  printf '%s' "$1" | sed -E 's#(://[^:/@]*:)[^@]*@#\1***@#'
}
