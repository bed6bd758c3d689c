// Drives a perspective_nb server's 5.x features with the official 5.x JS client.
// usage: node join_scenario.mjs <package> <ws url>
// Prints one JSON object with what the client saw; exits non-zero on failure.
const [pkg, url] = process.argv.slice(2);
const mod = await import(pkg);
const perspective = mod.default ?? mod;
const client = await perspective.websocket(url);
const out = {};
const orders = await client.table({p: [1, 2, 1], qty: [5, 6, 7]}, {name: "js_orders"});
const products = await client.table({id: [1, 3], label: ["pen", "ink"]}, {name: "js_products"});
const joined = await client.join(orders, "js_products", "p", {
    join_type: "outer",
    name: "js_joined",
    right_on: "id",
});
const view = await joined.view();
out.joined = await view.to_columns();
await orders.update({p: [3], qty: [8]});
out.after_update = await view.to_columns();
out.index = await joined.get_index();
try {
    await joined.update({p: [9]});
    out.refused = false;
} catch (e) {
    out.refused = true;
}
out.zstd_bytes = (await view.to_arrow({compression: "zstd"})).byteLength;
const filtered = await orders.view({filter: [["qty", ">", 5]]});
const derived = await client.table(filtered, {name: "js_derived"});
await orders.update({p: [4], qty: [9]});
const derived_view = await derived.view();
out.derived = await derived_view.to_columns();
await derived_view.delete();
await derived.delete();
await filtered.delete();
await view.delete();
await joined.delete();
out.hosted_after = (await client.get_hosted_table_names()).sort();
console.log(JSON.stringify(out));
process.exit(0);
