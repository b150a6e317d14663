# The ES9+ relay on a self-hosted workerd (the Cloudflare Workers runtime, npm package workerd).
# From the repository root, after npm run build:relay:
#   RELAY_ALLOWED_ORIGINS=https://weblpa.example.org npx workerd serve deploy/cloudflare/relay.capnp
# The relay then listens on port 8001 (every interface); put TLS in front of it.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "relay", worker = .relayWorker),
    # Subrequests go to publicly routable addresses only: workerd resolves host names itself
    # and refuses private, loopback and link-local addresses after its lookup (the relay cannot
    # check names on workerd, see worker.ts). TLS trusts the browsers' roots plus the GSMA RSP2
    # Root CI1 (written beside the bundle by npm run build:relay). Note: workerd refuses TLS
    # certificates whose certificatePolicies extension is critical, as SGP.22 DPtls
    # certificates are profiled; the Node relay accepts them.
    (name = "internet", network = (
      allow = ["public"],
      tlsOptions = (
        trustBrowserCas = true,
        trustedCertificates = [embed "../../dist/relay/worker/gsma-rsp2-root-ci1.pem"],
      ),
    )),
  ],
  sockets = [(name = "http", address = "*:8001", http = (), service = "relay")],
);

const relayWorker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "../../dist/relay/worker/worker.js")],
  compatibilityDate = "2025-06-01",
  globalOutbound = "internet",
  bindings = [
    (name = "RELAY_ALLOWED_ORIGINS", fromEnvironment = "RELAY_ALLOWED_ORIGINS"),
    (name = "RELAY_RATE_BURST", fromEnvironment = "RELAY_RATE_BURST"),
    (name = "RELAY_RATE_PER_MINUTE", fromEnvironment = "RELAY_RATE_PER_MINUTE"),
    # No CF-Connecting-IP without Cloudflare in front: name the header your proxy sets (e.g.
    # x-real-ip), or all clients share one rate-limit bucket.
    (name = "RELAY_CLIENT_IP_HEADER", fromEnvironment = "RELAY_CLIENT_IP_HEADER"),
  ],
);
