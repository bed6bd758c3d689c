/**
 * The page's one Perspective client of the Jupyter server's hub
 * (`<base_url>/perspective/ws`, authenticated like any Jupyter request),
 * shared by every widget view and file tab.
 */
import { PageConfig, URLExt } from "@jupyterlab/coreutils";
import { ServerConnection } from "@jupyterlab/services";

import { websocketClient } from "./boot";

let hubClient: Promise<any> | null = null;

function hubUrl(): string {
  const settings = ServerConnection.makeSettings();
  const base = settings.wsUrl || PageConfig.getWsUrl();
  let url = URLExt.join(base, "perspective", "ws");
  if (settings.token) {
    url += `?token=${encodeURIComponent(settings.token)}`;
  }
  return url;
}

/** The hub client (connected on first use; a failed connection is retried next time). */
export function hub(): Promise<any> {
  if (hubClient === null) {
    hubClient = websocketClient(hubUrl());
    hubClient.catch(() => {
      hubClient = null;
    });
  }
  return hubClient;
}
