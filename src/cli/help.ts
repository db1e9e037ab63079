// The text of `alloctop --help`: subcommands, every flag and the variable it stands for.
// The token is never shown here, only where it comes from.

export const HELP = `alloctop — a live terminal console for HashiCorp Nomad allocations

Usage:
  alloctop [flags]            open the console against NOMAD_ADDR
  alloctop --demo [flags]     open the console against an embedded simulated cluster
  alloctop sim [flags]        run the simulated Nomad cluster alone (see alloctop sim --help)
  alloctop --version          print the version
  alloctop --help             print this help

Connection (flags beat environment variables beat defaults):
  --address URL          NOMAD_ADDR        http://host:4646, https://host:4646 or unix:///path
                                           (default http://127.0.0.1:4646; user:pass@ in the URL = basic auth)
  --namespace NAME       NOMAD_NAMESPACE   namespace to show; * for all (default: the agent's default)
  --region NAME          NOMAD_REGION      region to query (default: the agent's region)
  --token-file FILE      NOMAD_TOKEN       file holding the ACL token's secret ID
  --token SECRET                           the ACL token itself (visible in ps: prefer the two above)
  --http-auth USER:PASS  NOMAD_HTTP_AUTH   HTTP basic auth
  --ca-cert FILE         NOMAD_CACERT      CA certificate (PEM) to verify the agent
  --ca-path DIR          NOMAD_CAPATH      directory of CA certificates (.pem, .crt)
  --client-cert FILE     NOMAD_CLIENT_CERT client certificate (PEM) for mutual TLS
  --client-key FILE      NOMAD_CLIENT_KEY  client key (PEM) for mutual TLS
  --tls-server-name NAME NOMAD_TLS_SERVER_NAME  server name to verify instead of the address's host
  --tls-skip-verify      NOMAD_SKIP_VERIFY do not verify the agent's certificate (prints a warning)

Console:
  --read-only            ALLOCTOP_READ_ONLY=1  no stop/restart/signal: the keys are gone and the
                                           client refuses every write
  --wait DURATION        how long a blocking query may wait (default 5m, max 5m)
  --demo                 start the simulator in-process and connect to it
  --allocs N             with --demo: allocations in the simulated cluster (default 300)

Keys inside the console: press ? for the full list.
`;
