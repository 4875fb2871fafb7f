package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses
)

// idPathIndexSuffix names the index this file adds next to FerretDB's own "<table>__id_".
const idPathIndexSuffix = "__id_path"

// keepIDLookupsIndexed works around an index FerretDB v1.24's SQLite backend never uses:
// it looks a document up by `_id` with `_ferretdb_sjson->'$._id' = ?`, but indexes
// `_ferretdb_sjson->"_id"`, and SQLite only uses an expression index written exactly as
// the query writes it. So every `_id` lookup scanned its whole table (measured: 20,000
// documents, ~25 ms per lookup). Every `every`, this adds the index the lookup can use to
// each collection's table that lacks it, in every database file under dir.
func keepIDLookupsIndexed(ctx context.Context, dir string, every time.Duration) {
	open := map[string]*sql.DB{}
	defer func() {
		for _, db := range open {
			db.Close()
		}
	}()
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, file := range files {
			db, ok := open[file]
			if !ok {
				var err error
				if db, err = sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)"); err != nil {
					log.Printf("id index: open %s: %v", file, err)
					continue
				}
				db.SetMaxOpenConns(1)
				open[file] = db
			}
			if err := indexIDPaths(ctx, db); err != nil && ctx.Err() == nil {
				log.Printf("id index: %s: %v", filepath.Base(file), err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// indexIDPaths adds the `_id` path index to every collection table of one database that lacks it.
func indexIDPaths(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `
		SELECT c.table_name FROM _ferretdb_collections c
		WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = c.table_name || ?)`,
		idPathIndexSuffix)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil // a database FerretDB has not finished creating
		}
		return err
	}
	var tables []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, table)
	}
	rows.Close()
	for _, table := range tables {
		stmt := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+idPathIndexSuffix, table)
		if _, err := db.ExecContext(ctx, stmt); err != nil && !strings.Contains(err.Error(), "no such table") {
			return err
		}
	}
	return nil
}
