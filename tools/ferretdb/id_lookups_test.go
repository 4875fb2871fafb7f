package main

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
)

// These tests hold id-lookups.patch to MongoDB's meaning of `{_id: {$in: […]}}` (what it hands
// to the backend selects at least the matching documents, the handler's filter does the rest)
// and check that it does hand it to the backend (explain's filterPushdown).

// idsMatching runs `{_id: {$in: values}}` and returns the `_id`s it found, printed and sorted.
func idsMatching(t *testing.T, coll *mongo.Collection, values ...any) []string {
	t.Helper()
	cursor, err := coll.Find(context.Background(), bson.M{"_id": bson.M{"$in": values}})
	if err != nil {
		t.Fatal(err)
	}
	var docs []bson.M
	if err := cursor.All(context.Background(), &docs); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(docs))
	for i, doc := range docs {
		id := doc["_id"]
		if f, ok := id.(float64); ok {
			id = f + 0 // a zero prints as 0 whatever its sign (-0 == 0 in MongoDB)
		}
		ids[i] = fmt.Sprintf("%T:%v", id, id)
	}
	slices.Sort(ids)
	return ids
}

// pushedDown says whether explain reports the `$in` filter handed to the backend.
func pushedDown(t *testing.T, coll *mongo.Collection, values ...any) bool {
	t.Helper()
	var res bson.M
	err := coll.Database().RunCommand(context.Background(), bson.D{
		{Key: "explain", Value: bson.D{{Key: "find", Value: coll.Name()}, {Key: "filter", Value: bson.M{"_id": bson.M{"$in": values}}}}},
	}).Decode(&res)
	if err != nil {
		t.Fatal(err)
	}
	return res["filterPushdown"] == true
}

func TestIDInFindsWhatMongoDBFinds(t *testing.T) {
	eachBackend(t, func(t *testing.T, coll *mongo.Collection) {
		ctx := context.Background()
		docs := []any{
			bson.M{"_id": "s#1"}, bson.M{"_id": "s#2"}, bson.M{"_id": "s#10"},
			bson.M{"_id": int32(3)}, bson.M{"_id": float64(4)}, bson.M{"_id": int64(5)}, bson.M{"_id": 6.5},
			bson.M{"_id": -0.0}, bson.M{"_id": time.UnixMilli(7).UTC()},
		}
		if _, err := coll.InsertMany(ctx, docs); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			values []any
			want   []string
		}{
			{[]any{"s#1", "s#10", "s#3"}, []string{"string:s#1", "string:s#10"}},
			{[]any{"s#20", "s#21"}, []string{}},
			// Numbers equal across types, as in MongoDB; a date is not a number.
			{[]any{float64(3), int32(4), int32(5), int64(7)}, []string{"float64:4", "int32:3", "int64:5"}},
			{[]any{6.5, "s#2"}, []string{"float64:6.5", "string:s#2"}},
			{[]any{int32(0)}, []string{"float64:0"}},
		} {
			if got := idsMatching(t, coll, c.values...); !slices.Equal(got, c.want) {
				t.Errorf("$in %v found %v, want %v", c.values, got, c.want)
			}
		}
		if !pushedDown(t, coll, "s#1", "s#2") || !pushedDown(t, coll, int32(3), int32(4)) {
			t.Error("an $in of strings or numbers is not handed to the backend")
		}
		many := make([]any, 70_000) // more than either backend takes as parameters of one query
		for i := range many {
			many[i] = fmt.Sprintf("s#%d", i)
		}
		if got := idsMatching(t, coll, many...); !slices.Equal(got, []string{"string:s#1", "string:s#10", "string:s#2"}) {
			t.Errorf("a long $in found %v", got)
		}
	})
}
