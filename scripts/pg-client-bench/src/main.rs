//! Client crate measurement for Quanze issue 19: sync `postgres` vs `tokio-postgres`.
use std::time::Instant;

const ROWS: i64 = 50_000;
const READS: i64 = 20_000;

fn doc(i: i64) -> String {
    format!(r#"{{"id":{i},"name":"~{}","position":{i},"duties":["~{}","~{}"],"uid":"0190b8c2-{i:012}"}}"#, i * 3, i * 3 + 1, i * 3 + 2)
}

const SETUP: &str = "DROP TABLE IF EXISTS bench_items; CREATE TABLE bench_items (id bigint PRIMARY KEY, list_id bigint NOT NULL, position integer NOT NULL, name text NOT NULL, doc jsonb NOT NULL)";
const INSERT: &str = "INSERT INTO bench_items (id, list_id, position, name, doc) VALUES ($1, $2, $3, $4, $5::text::jsonb)";
const READ: &str = "SELECT name, doc::text FROM bench_items WHERE id = $1";

fn sync(url: &str) -> (f64, f64) {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    client.batch_execute(SETUP).expect("setup");
    let t = Instant::now();
    let mut tx = client.transaction().expect("tx");
    let insert = tx.prepare(INSERT).expect("prepare");
    for i in 1..=ROWS {
        let (pos, name, d) = (i as i32, format!("事项{i}"), doc(i));
        tx.execute(&insert, &[&i, &1_i64, &pos, &name, &d]).expect("insert");
    }
    tx.commit().expect("commit");
    let insert_s = t.elapsed().as_secs_f64();
    let read = client.prepare(READ).expect("prepare");
    let t = Instant::now();
    for i in 0..READS {
        let id = 1 + (i * 7919) % ROWS;
        let row = client.query_one(&read, &[&id]).expect("read");
        let _: &str = row.get(0);
    }
    (insert_s, t.elapsed().as_secs_f64())
}

async fn asynchronous(url: &str, pipeline: usize) -> (f64, f64) {
    use futures_util::{stream, StreamExt};
    let (mut client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.expect("connect");
    tokio::spawn(connection);
    client.batch_execute(SETUP).await.expect("setup");
    let t = Instant::now();
    let tx = client.transaction().await.expect("tx");
    let insert = tx.prepare(INSERT).await.expect("prepare");
    let results: Vec<_> = stream::iter(1..=ROWS)
        .map(|i| {
            let (tx, insert) = (&tx, &insert);
            async move {
                let (pos, name, d) = (i as i32, format!("事项{i}"), doc(i));
                tx.execute(insert, &[&i, &1_i64, &pos, &name, &d]).await
            }
        })
        .buffered(pipeline)
        .collect()
        .await;
    assert!(results.iter().all(|r| r.is_ok()));
    tx.commit().await.expect("commit");
    let insert_s = t.elapsed().as_secs_f64();
    let read = client.prepare(READ).await.expect("prepare");
    let t = Instant::now();
    let reads: Vec<_> = stream::iter(0..READS)
        .map(|i| {
            let (client, read) = (&client, &read);
            async move { client.query_one(read, &[&(1 + (i * 7919) % ROWS)]).await }
        })
        .buffered(pipeline)
        .collect()
        .await;
    assert!(reads.iter().all(|r| r.is_ok()));
    (insert_s, t.elapsed().as_secs_f64())
}

/// Sync client, rows sent 1,000 at a time as arrays (one statement per chunk).
fn sync_batched(url: &str) -> f64 {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    client.batch_execute(SETUP).expect("setup");
    let t = Instant::now();
    let mut tx = client.transaction().expect("tx");
    let insert = tx.prepare("INSERT INTO bench_items (id, list_id, position, name, doc) SELECT i, 1, p, n, d::jsonb FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[]) AS u(i, p, n, d)").expect("prepare");
    let all: Vec<i64> = (1..=ROWS).collect();
    for chunk in all.chunks(1000) {
        let ids = chunk.to_vec();
        let pos: Vec<i32> = chunk.iter().map(|&i| i as i32).collect();
        let names: Vec<String> = chunk.iter().map(|i| format!("事项{i}")).collect();
        let docs: Vec<String> = chunk.iter().map(|&i| doc(i)).collect();
        tx.execute(&insert, &[&ids, &pos, &names, &docs]).expect("insert");
    }
    tx.commit().expect("commit");
    t.elapsed().as_secs_f64()
}

fn main() {
    let url = std::env::var("QUANZE_TEST_PG").expect("QUANZE_TEST_PG");
    let runs: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(3);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("rt");
    for run in 1..=runs {
        let (i, r) = sync(&url);
        println!("run {run} postgres (sync)              insert {ROWS}: {i:.2} s ({:.1} µs/row)  reads {READS}: {r:.2} s ({:.1} µs/read)", i * 1e6 / ROWS as f64, r * 1e6 / READS as f64);
        let b = sync_batched(&url);
        println!("run {run} postgres (sync), 1,000-row arrays insert {ROWS}: {b:.2} s ({:.1} µs/row)", b * 1e6 / ROWS as f64);
        for pipeline in [1, 64] {
            let (i, r) = rt.block_on(asynchronous(&url, pipeline));
            println!("run {run} tokio-postgres pipeline {pipeline:>2}   insert {ROWS}: {i:.2} s ({:.1} µs/row)  reads {READS}: {r:.2} s ({:.1} µs/read)", i * 1e6 / ROWS as f64, r * 1e6 / READS as f64);
        }
    }
}
