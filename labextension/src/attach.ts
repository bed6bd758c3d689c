/**
 * Binds a <perspective-viewer> to a table hosted by name, and keeps it bound:
 * when the hosting kernel stops, the viewer says so; when the name is hosted
 * again (the notebook re-ran), the viewer re-attaches by itself.
 */

export type StatusCallback = (message: string) => void;

/**
 * Open table `name` from `client` and hand it to `load` (which loads it into
 * a viewer and applies its config), now and whenever the name comes back
 * after disappearing.
 */
export async function attachTable(
  client: any,
  name: string,
  status: StatusCallback,
  load: (table: any) => Promise<void>
): Promise<void> {
  let loaded = false;
  let busy: Promise<void> = Promise.resolve();
  const sync = async () => {
    const names: string[] = await client.get_hosted_table_names();
    if (!names.includes(name)) {
      loaded = false;
      status(`Table "${name}" is not hosted right now (did its kernel stop?). Waiting for it...`);
      return;
    }
    if (loaded) {
      return;
    }
    await load(await client.open_table(name));
    loaded = true;
    status("");
  };
  // Serialise syncs: hosted-set notifications may arrive back to back.
  const schedule = () => {
    busy = busy.then(sync).catch((err) => status(`Could not open table "${name}": ${err}`));
    return busy;
  };
  if (typeof client.on_hosted_tables_update === "function") {
    await client.on_hosted_tables_update(() => void schedule());
  }
  await schedule();
}
