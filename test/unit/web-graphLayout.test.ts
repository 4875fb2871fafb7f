import {
  createGroupLayoutCache,
  layoutGraph,
  layoutGroup,
  type LayoutItem,
  type LayoutLink,
} from '../../web/src/graph/graphLayout';

const item = (id: string, group = 'g1', width = 200, height = 60): LayoutItem => ({ id, group, width, height });
const link = (source: string, target: string): LayoutLink => ({ id: `${source}->${target}`, source, target });

function overlaps(
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('graph layout', () => {
  it('places a chain top to bottom, each node below its predecessor', () => {
    const items = ['a', 'b', 'c', 'd'].map((id) => item(id));
    const { positions } = layoutGraph(items, [link('a', 'b'), link('b', 'c'), link('c', 'd')]);
    const ys = ['a', 'b', 'c', 'd'].map((id) => positions.get(id)!.y);
    expect(ys).toEqual([...ys].sort((x, y) => x - y));
    expect(new Set(ys).size).toBe(4);
  });

  it('puts siblings of a fan-out on one rank without overlapping', () => {
    const items = ['root', 'x', 'y', 'z', 'join'].map((id) => item(id));
    const links = [
      link('root', 'x'),
      link('root', 'y'),
      link('root', 'z'),
      link('x', 'join'),
      link('y', 'join'),
      link('z', 'join'),
    ];
    const { positions } = layoutGraph(items, links);
    const rank = ['x', 'y', 'z'].map((id) => positions.get(id)!);
    expect(new Set(rank.map((p) => p.y)).size).toBe(1);
    for (let i = 0; i < rank.length; i++)
      for (let j = i + 1; j < rank.length; j++)
        expect(overlaps({ ...rank[i], width: 200, height: 60 }, { ...rank[j], width: 200, height: 60 })).toBe(false);
  });

  it('stacks groups vertically in the given order, frames enclosing their items, no overlaps', () => {
    const items = [item('b1', 'turn-b'), item('b2', 'turn-b'), item('a1', 'turn-a'), item('a2', 'turn-a')];
    const { positions, groups } = layoutGraph(
      items,
      [link('a1', 'a2'), link('b1', 'b2'), link('a2', 'b1')],
      ['turn-a', 'turn-b'],
    );
    const a = groups.get('turn-a')!;
    const b = groups.get('turn-b')!;
    expect(a.y + a.height).toBeLessThanOrEqual(b.y);
    for (const it of items) {
      const p = positions.get(it.id)!;
      const frame = groups.get(it.group)!;
      expect(p.x).toBeGreaterThanOrEqual(frame.x);
      expect(p.y).toBeGreaterThanOrEqual(frame.y);
      expect(p.x + it.width).toBeLessThanOrEqual(frame.x + frame.width);
      expect(p.y + it.height).toBeLessThanOrEqual(frame.y + frame.height);
    }
  });

  it('is deterministic and ignores links to unknown nodes and self-links', () => {
    const items = ['a', 'b', 'c'].map((id) => item(id));
    const links = [link('a', 'b'), link('b', 'c'), link('c', 'c'), link('a', 'ghost')];
    const one = layoutGraph(items, links);
    const two = layoutGraph(items, links);
    expect([...one.positions]).toEqual([...two.positions]);
  });

  it('lays out a single node and an empty group', () => {
    expect(layoutGroup([item('solo')], []).positions.get('solo')).toEqual({ x: 0, y: 0 });
    expect(layoutGraph([], [], ['empty']).groups.size).toBe(0);
  });

  it('the group cache reuses unchanged groups and recomputes changed ones', () => {
    const cached = createGroupLayoutCache();
    const itemsA = [item('a1', 'A'), item('a2', 'A')];
    const first = cached('A', itemsA, [link('a1', 'a2')]);
    expect(cached('A', itemsA, [link('a1', 'a2')])).toBe(first);
    const grown = cached('A', [...itemsA, item('a3', 'A')], [link('a1', 'a2'), link('a2', 'a3')]);
    expect(grown).not.toBe(first);
    expect(grown.positions.size).toBe(3);
  });

  it('lays out 5,000 nodes in 500 turns quickly with the cache, and a new turn reuses the rest', () => {
    const items: LayoutItem[] = [];
    const links: LayoutLink[] = [];
    for (let t = 0; t < 500; t++) {
      for (let n = 0; n < 10; n++) {
        items.push(item(`t${t}-n${n}`, `t${t}`));
        if (n > 0) links.push(link(`t${t}-n${n - 1}`, `t${t}-n${n}`));
      }
    }
    const cache = createGroupLayoutCache();
    const t0 = performance.now();
    const layout = layoutGraph(items, links, [], undefined, cache);
    const first = performance.now() - t0;
    expect(layout.positions.size).toBe(5000);
    items.push(item('new-1', 'new'), item('new-2', 'new'));
    links.push(link('new-1', 'new-2'));
    const t1 = performance.now();
    layoutGraph(items, links, [], undefined, cache);
    const second = performance.now() - t1;
    expect(second).toBeLessThan(first);
  });
});
