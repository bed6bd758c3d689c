// Drives a perspective_nb server with an official Perspective JS client.
// usage: node client_scenario.mjs <package> <ws url> [subscribe]
// Prints one JSON object with what the client saw; exits non-zero on failure.
const [pkg, url, mode] = process.argv.slice(2);
const mod = await import(pkg);
const perspective = mod.default ?? mod;
const client = await perspective.websocket(url);
const out = {};
if (mode === "subscribe") {
    await client.on_hosted_tables_update(() => {});
}
out.hosted = await client.get_hosted_table_names();
const table = await client.open_table("trades");
out.schema = await table.schema();
out.size = await table.size();
const view = await table.view({
    group_by: ["region"],
    columns: ["qty"],
    sort: [["qty", "desc"]],
    filter: [["qty", ">", 1]],
});
out.columns = await view.to_columns();
out.dimensions = await view.dimensions();
const config = await view.get_config();
out.config = {group_by: config.group_by, sort: config.sort, filter: config.filter};
out.min_max = await view.get_min_max("qty");
const updated = new Promise((resolve) => {
    view.on_update(({port_id, delta}) => resolve({port_id, delta_bytes: delta ? delta.byteLength : 0}), {
        mode: "row",
    });
});
await table.update([{id: 5, region: "d", qty: 5.0}]);
out.update = await updated;
out.validate = await table.validate_expressions({e: '"qty" * 2'});
const split = await table.view({split_by: ["region"], columns: ["qty"]});
out.column_paths = await split.column_paths();
await split.delete();
const grouped = await table.view({group_by: ["region"], columns: ["qty"]});
out.grouped_csv_header = (await grouped.to_csv()).split("\n")[0];
if (pkg === "@perspective-dev/client") {
    // 5.x's ViewPort.emit_legacy_row_path_names
    const header = async (emit) =>
        (await grouped.to_csv({emit_legacy_row_path_names: emit})).split("\n")[0];
    out.row_path_csv_header = await header(false);
    out.legacy_csv_header = await header(true);
}
await grouped.delete();
const made = await client.table({x: [1, 2, 3]}, {name: "made_by_js", index: "x"});
out.made_size = await made.size();
const flat = await made.view();
out.arrow_bytes = (await flat.to_arrow()).byteLength;
out.csv = await flat.to_csv();
await flat.delete();
await made.delete();
await view.delete();
out.hosted_after = await client.get_hosted_table_names();
console.log(JSON.stringify(out));
process.exit(0);
