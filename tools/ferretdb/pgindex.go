package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"log"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// FerretDB v1.24's PostgreSQL backend pushes an equality filter down as
// `_jsonb->$1 @> $2`, but indexes fields with btree `(_jsonb -> 'field')`. Two things keep its
// lookups off those indexes (measured: a lookup by `_id` among 20,000 documents is a sequential
// scan, ~60 ms on a loaded machine):
//   - the field name is a bind parameter, and a cached generic plan cannot match an expression
//     index on `_jsonb -> '_id'`: withCustomPlans makes PostgreSQL plan each query with its values;
//   - `@>` (containment) cannot use a btree index at all: keepLookupsIndexed adds, for the leading
//     field of every index FerretDB created (`_id` included), a GIN jsonb_path_ops index on the
//     same expression, which `@>` can use (~2 ms per lookup on the same data).

// withCustomPlans asks every connection of FerretDB's pool to plan each statement with its parameters.
func withCustomPlans(postgresURL string) (string, error) {
	u, err := url.Parse(postgresURL)
	if err != nil {
		return "", err
	}
	q := u.Query()
	if q.Get("plan_cache_mode") == "" {
		q.Set("plan_cache_mode", "force_custom_plan")
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// btreeLeadingField finds the leading field of an index FerretDB created, e.g.
// `CREATE UNIQUE INDEX … USING btree (((_jsonb -> '_id'::text)))`.
var btreeLeadingField = regexp.MustCompile(`USING btree \(+_jsonb -> '((?:[^']|'')+)'::text\)`)

// keepLookupsIndexed adds the GIN indexes every `every` until ctx ends.
func keepLookupsIndexed(ctx context.Context, postgresURL string, every time.Duration) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	var conn *pgx.Conn
	defer func() {
		if conn != nil {
			conn.Close(context.Background())
		}
	}()
	for {
		if conn == nil {
			c, err := pgx.Connect(ctx, postgresURL)
			if err != nil && ctx.Err() == nil {
				log.Printf("lookup indexes: connect: %v", err)
			}
			conn = c
		}
		if conn != nil {
			if err := indexLookups(ctx, conn); err != nil && ctx.Err() == nil {
				log.Printf("lookup indexes: %v", err)
				conn.Close(context.Background())
				conn = nil
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// indexLookups adds the missing GIN index for each indexed leading field of every FerretDB table.
func indexLookups(ctx context.Context, conn *pgx.Conn) error {
	rows, err := conn.Query(ctx, `
		SELECT n.nspname, t.relname, pg_get_indexdef(i.indexrelid),
		       (SELECT string_agg(indexname, ',') FROM pg_indexes p WHERE p.schemaname = n.nspname AND p.tablename = t.relname)
		FROM pg_index i
		JOIN pg_class t ON t.oid = i.indrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`)
	if err != nil {
		return err
	}
	var statements []string
	for rows.Next() {
		var schema, table, def, existing string
		if err := rows.Scan(&schema, &table, &def, &existing); err != nil {
			rows.Close()
			return err
		}
		m := btreeLeadingField.FindStringSubmatch(def)
		if m == nil {
			continue
		}
		field := strings.ReplaceAll(m[1], "''", "'")
		name := ginIndexName(table, field)
		if strings.Contains(","+existing+",", ","+name+",") {
			continue
		}
		statements = append(statements, fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s ON %s USING gin ((_jsonb -> '%s') jsonb_path_ops)`,
			pgx.Identifier{name}.Sanitize(), pgx.Identifier{schema, table}.Sanitize(), strings.ReplaceAll(field, "'", "''")))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, stmt := range statements {
		// A table dropped meanwhile is not an error worth reporting.
		if _, err := conn.Exec(ctx, stmt); err != nil && !strings.Contains(err.Error(), "does not exist") {
			return err
		}
	}
	return nil
}

// ginIndexName is unique per table and field and within PostgreSQL's 63-byte identifier limit.
func ginIndexName(table, field string) string {
	h := fnv.New32a()
	h.Write([]byte(field))
	prefix := table
	if len(prefix) > 40 {
		prefix = prefix[:40]
	}
	return fmt.Sprintf("%s_%08x_gin", prefix, h.Sum32())
}
