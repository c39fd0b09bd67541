"""The graph of hidden cells: rows and columns are nodes, each hidden cell an edge.

With the margins written with a minus sign, every row and every column of a table sums
to zero, so the published cells fix the hidden ones up to the graph's cycles: a hidden
cell is recoverable exactly when its edge is a bridge (no cycle goes through it).
"""
from __future__ import annotations

from collections import defaultdict, deque
from typing import Sequence

Pos = tuple[int, int]
Node = tuple[str, int]


def adjacency(edges: Sequence[Pos]) -> dict[Node, list[tuple[Node, int]]]:
    adj: dict[Node, list[tuple[Node, int]]] = defaultdict(list)
    for k, (i, j) in enumerate(edges):
        adj[("r", i)].append((("c", j), k))
        adj[("c", j)].append((("r", i), k))
    return adj


def component(start: Node, edges: Sequence[Pos]) -> set[Node]:
    adj = adjacency(edges)
    seen, queue = {start}, deque([start])
    while queue:
        for nxt, _ in adj[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def bridges(edges: Sequence[Pos]) -> list[Pos]:
    """Bridges of the row/column graph whose edges are the hidden cells (Tarjan, iterative)."""
    adj = adjacency(edges)
    disc: dict[Node, int] = {}
    low: dict[Node, int] = {}
    found: list[Pos] = []
    clock = 0
    for root in list(adj):
        if root in disc:
            continue
        disc[root] = low[root] = clock
        clock += 1
        stack = [(root, -1, iter(adj[root]))]
        while stack:
            node, via, neighbours = stack[-1]
            for nxt, k in neighbours:
                if k == via:
                    continue
                if nxt in disc:
                    low[node] = min(low[node], disc[nxt])
                else:
                    disc[nxt] = low[nxt] = clock
                    clock += 1
                    stack.append((nxt, k, iter(adj[nxt])))
                    break
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > disc[parent]:
                        found.append(edges[via])
    return sorted(found)
