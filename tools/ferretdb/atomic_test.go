package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// These tests hold the patched FerretDB to MongoDB's single-document atomicity (see
// atomic-writes.patch), on SQLite always and on PostgreSQL when
// EVOSCOPE_FERRETDB_TEST_POSTGRESQL_URL names a database to use.

// backends lists the storage backends to run against, each as a FerretDB config.
func backends(t *testing.T) map[string]*ferretdb.Config {
	configs := map[string]*ferretdb.Config{
		"sqlite": {Handler: "sqlite", SQLiteURL: "file:" + t.TempDir() + "/"},
	}
	if url := os.Getenv("EVOSCOPE_FERRETDB_TEST_POSTGRESQL_URL"); url != "" {
		configs["postgresql"] = &ferretdb.Config{Handler: "postgresql", PostgreSQLURL: url}
	}
	return configs
}

// eachBackend runs test against a fresh collection of an in-process FerretDB on every backend.
func eachBackend(t *testing.T, test func(t *testing.T, coll *mongo.Collection)) {
	for name, config := range backends(t) {
		t.Run(name, func(t *testing.T) {
			test(t, startCollection(t, config))
		})
	}
}

func startCollection(t *testing.T, config *ferretdb.Config) *mongo.Collection {
	config.Listener = ferretdb.ListenerConfig{TCP: "127.0.0.1:0"}
	config.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	f, err := ferretdb.New(config)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.Run(ctx)
	}()
	t.Cleanup(func() {
		stop()
		<-done
	})
	client, err := mongo.Connect(ctx, options.Client().ApplyURI(f.MongoDBURI()).SetMaxPoolSize(50))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Disconnect(context.Background()) })
	coll := client.Database("atomic").Collection(fmt.Sprintf("c%d", time.Now().UnixNano()))
	t.Cleanup(func() { coll.Drop(context.Background()) })
	return coll
}

// concurrently runs n calls of work at once and fails the test on the first error.
func concurrently(t *testing.T, n int, work func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := work(i); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestSetsOfDifferentFieldsAreNotLost(t *testing.T) {
	eachBackend(t, func(t *testing.T, coll *mongo.Collection) {
		ctx := context.Background()
		lost := 0
		for round := range 50 {
			if _, err := coll.InsertOne(ctx, bson.M{"_id": round}); err != nil {
				t.Fatal(err)
			}
			concurrently(t, 2, func(i int) error {
				_, err := coll.UpdateOne(ctx, bson.M{"_id": round}, bson.M{"$set": bson.M{fmt.Sprintf("f%d", i): true}})
				return err
			})
			var doc bson.M
			if err := coll.FindOne(ctx, bson.M{"_id": round}).Decode(&doc); err != nil {
				t.Fatal(err)
			}
			if doc["f0"] != true || doc["f1"] != true {
				lost++
			}
		}
		if lost != 0 {
			t.Errorf("a $set was lost in %d of 50 rounds", lost)
		}
	})
}

// TestIncrementsAllCount also addresses one document by an int32 and a double `_id`, which
// MongoDB takes for the same value.
func TestIncrementsAllCount(t *testing.T) {
	eachBackend(t, func(t *testing.T, coll *mongo.Collection) {
		ctx := context.Background()
		if _, err := coll.InsertOne(ctx, bson.M{"_id": int32(1), "n": 0}); err != nil {
			t.Fatal(err)
		}
		concurrently(t, 1000, func(i int) error {
			id := any(int32(1))
			if i%2 == 1 {
				id = 1.0
			}
			_, err := coll.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$inc": bson.M{"n": 1}})
			return err
		})
		var doc struct{ N int }
		if err := coll.FindOne(ctx, bson.M{"_id": 1}).Decode(&doc); err != nil {
			t.Fatal(err)
		}
		if doc.N != 1000 {
			t.Errorf("1,000 concurrent $inc ended at %d", doc.N)
		}
	})
}

// TestCompareAndSetSucceedsOncePerRevision runs 10 writers that each read the revision and
// move it on only if it is still the one they read; the filter here does not pin `_id`.
func TestCompareAndSetSucceedsOncePerRevision(t *testing.T) {
	eachBackend(t, func(t *testing.T, coll *mongo.Collection) {
		ctx := context.Background()
		if _, err := coll.InsertOne(ctx, bson.M{"_id": "doc", "name": "doc", "rev": 0}); err != nil {
			t.Fatal(err)
		}
		var successes atomic.Int64
		concurrently(t, 10, func(int) error {
			for range 20 {
				var doc struct{ Rev int }
				if err := coll.FindOne(ctx, bson.M{"name": "doc"}).Decode(&doc); err != nil {
					return err
				}
				res, err := coll.UpdateOne(ctx, bson.M{"name": "doc", "rev": doc.Rev}, bson.M{"$set": bson.M{"rev": doc.Rev + 1}})
				if err != nil {
					return err
				}
				successes.Add(res.ModifiedCount)
			}
			return nil
		})
		var doc struct{ Rev int64 }
		if err := coll.FindOne(ctx, bson.M{"_id": "doc"}).Decode(&doc); err != nil {
			t.Fatal(err)
		}
		if successes.Load() != doc.Rev {
			t.Errorf("%d compare-and-sets succeeded for a final revision of %d", successes.Load(), doc.Rev)
		}
	})
}

func TestFindAndModifyReturnsTheDocumentItWrote(t *testing.T) {
	eachBackend(t, func(t *testing.T, coll *mongo.Collection) {
		ctx := context.Background()
		seen := make([]atomic.Bool, 201)
		concurrently(t, 200, func(int) error {
			var doc struct{ N int }
			err := coll.FindOneAndUpdate(ctx, bson.M{"_id": "counter"}, bson.M{"$inc": bson.M{"n": 1}},
				options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)).Decode(&doc)
			if err != nil {
				return err
			}
			if doc.N < 1 || doc.N > 200 || seen[doc.N].Swap(true) {
				return fmt.Errorf("findOneAndUpdate returned n = %d twice or out of range", doc.N)
			}
			return nil
		})
	})
}

func TestRacingUpsertsCreateOneDocument(t *testing.T) {
	eachBackend(t, func(t *testing.T, coll *mongo.Collection) {
		ctx := context.Background()
		concurrently(t, 20, func(int) error {
			_, err := coll.UpdateOne(ctx, bson.M{"key": "k"}, bson.M{"$inc": bson.M{"n": 1}}, options.Update().SetUpsert(true))
			return err
		})
		var docs []struct{ N int }
		cursor, err := coll.Find(ctx, bson.M{"key": "k"})
		if err != nil {
			t.Fatal(err)
		}
		if err := cursor.All(ctx, &docs); err != nil {
			t.Fatal(err)
		}
		if len(docs) != 1 || docs[0].N != 20 {
			t.Errorf("20 racing upserts left %+v", docs)
		}
	})
}

func TestRacingInsertsOfOneIDHaveOneWinner(t *testing.T) {
	eachBackend(t, func(t *testing.T, coll *mongo.Collection) {
		ctx := context.Background()
		var winners atomic.Int64
		concurrently(t, 10, func(i int) error {
			_, err := coll.InsertOne(ctx, bson.M{"_id": "once", "writer": i})
			if mongo.IsDuplicateKeyError(err) {
				return nil
			}
			if err == nil {
				winners.Add(1)
			}
			return err
		})
		if winners.Load() != 1 {
			t.Errorf("%d inserts of one _id succeeded", winners.Load())
		}
		var doc bson.M
		if err := coll.FindOne(ctx, bson.M{"_id": "once"}).Decode(&doc); errors.Is(err, mongo.ErrNoDocuments) {
			t.Error("no insert won")
		}
	})
}
