// Command ferretdb runs FerretDB v1 (MongoDB wire protocol) as the embedded development
// database, on SQLite files or on a PostgreSQL database. It exists because `go install` of
// upstream's own command panics without its generated version file (upstream issue 2982).
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	backend := flag.String("backend", "sqlite", "storage backend: sqlite or postgresql")
	dir := flag.String("dir", "", "absolute directory for the SQLite files (backend sqlite)")
	postgresURL := flag.String("postgresql-url", "", "postgres://user@host:port/db (backend postgresql)")
	flag.Parse()

	config := &ferretdb.Config{Listener: ferretdb.ListenerConfig{TCP: *listen}}
	switch *backend {
	case "sqlite":
		if *dir == "" {
			log.Fatal("-dir is required with -backend sqlite")
		}
		if err := os.MkdirAll(*dir, 0o755); err != nil {
			log.Fatal(err)
		}
		config.Handler = "sqlite"
		config.SQLiteURL = "file:" + *dir + "/"
	case "postgresql":
		if *postgresURL == "" {
			log.Fatal("-postgresql-url is required with -backend postgresql")
		}
		u, err := withCustomPlans(*postgresURL)
		if err != nil {
			log.Fatalf("-postgresql-url: %v", err)
		}
		config.Handler = "postgresql"
		config.PostgreSQLURL = u
	default:
		log.Fatalf("-backend must be sqlite or postgresql, not %q", *backend)
	}
	f, err := ferretdb.New(config)
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *backend == "sqlite" {
		log.Printf("ferretdb listening on %s, SQLite files in %s", *listen, *dir)
		go keepIDLookupsIndexed(ctx, *dir, 2*time.Second)
	} else {
		log.Printf("ferretdb listening on %s, PostgreSQL backend", *listen)
		go keepLookupsIndexed(ctx, config.PostgreSQLURL, 2*time.Second)
	}
	f.Run(ctx)
}
