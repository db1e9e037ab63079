// Which Nomad release the simulator behaves as (`alloctop sim --nomad-version 1.11.2`): the
// corners of the event stream that changed between releases, read from Nomad's source.
export interface NomadBehaviour {
  version: string;
  /** 1.11.2+: command/agent/event_endpoint.go hijacks the connection and writes "200 OK"
   * before the token, region and namespace are checked; a refusal then closes it, empty. */
  hijackedStream: boolean;
  /** Exactly 1.11.2: the hijacked answer's status line is "HTTP/0.0 200 OK" (the response's
   * Proto fields were left unset; 1.11.3 copies req.Proto). */
  http00StatusLine: boolean;
  /** 1.9.6+ / 1.10.0+ (CVE-2025-0937, nomad/event_endpoint.go validateACL): a namespace=*
   * subscription carries only the namespaces that existed when it opened. */
  pinnedNamespaces: boolean;
  /** 2.0.3+ (command/agent/websockets.go wrapWebsocketHandler, "upgrade websockets early to
   * permit auditing"): exec upgrades before its query is parsed, so a bad `command` or `tty` is
   * a close frame; earlier releases answer those with an HTTP 500 before the upgrade. */
  earlyWebsocketUpgrade: boolean;
}

export const DEFAULT_NOMAD_VERSION = '2.0.5';

export function nomadBehaviour(version: string = DEFAULT_NOMAD_VERSION): NomadBehaviour {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
  if (!m) throw new Error(`"${version}" is not a Nomad version like 1.11.2`);
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const atLeast = (a: number, b: number, c: number): boolean => major !== a ? major > a : minor !== b ? minor > b : patch >= c;
  if (!atLeast(1, 6, 0)) throw new Error(`Nomad ${version} is older than the simulator knows (1.6.0 and later)`);
  return {
    version: `${major}.${minor}.${patch}`,
    hijackedStream: atLeast(1, 11, 2),
    http00StatusLine: major === 1 && minor === 11 && patch === 2,
    pinnedNamespaces: atLeast(1, 9, 6),
    earlyWebsocketUpgrade: atLeast(2, 0, 3),
  };
}
