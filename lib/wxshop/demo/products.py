"""The demo catalogue: SKUs of every category with shop-style prices, costs and popularity,
and SKUs drawn by popularity within a category."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from wxshop.data import schema
from wxshop.demo.columns import id_column, label_column
from wxshop.demo.settings import CATEGORIES, MIN_PRICE


@dataclass
class Products:
    """The catalogue: per SKU category, price and cost (fen); popularity per category."""

    category: np.ndarray  # category index per SKU
    price_fen: np.ndarray
    cost_fen: np.ndarray
    offset: np.ndarray  # first SKU of each category
    count: np.ndarray  # SKUs per category
    cum_weight: list[np.ndarray]  # popularity CDF within each category
    expected_price: np.ndarray  # popularity-weighted mean list price per category, CNY
    sku_id: pa.Array
    table: pd.DataFrame


def _psychological_price(x: np.ndarray) -> np.ndarray:
    """Prices in fen the way shops set them: 39.9, 59.9, 129, 199."""
    low = (np.floor(x) + 0.9) * 100
    high = (np.round(x / 10) * 10 - 1) * 100
    return np.where(x < 100, low, high).astype(np.int64)


def make_products(rng: np.random.Generator) -> Products:
    """Draw the catalogue: shop-style prices around each category's median, planted margins,
    a popularity order within each category."""
    cats, prices, costs, names, numbers, cdfs, expected = [], [], [], [], [], [], []
    offset, count = [], []
    for i, c in enumerate(CATEGORIES):
        n = len(c.products)
        offset.append(sum(count))
        count.append(n)
        raw = np.maximum(c.price_median * rng.lognormal(0.0, c.price_sigma, n), MIN_PRICE)
        price = _psychological_price(raw)
        margin = rng.uniform(*c.margin, n)
        cost = np.rint(price * (1 - margin)).astype(np.int64)
        weight = 1.0 / (rng.permutation(n) + 1.0) ** 0.9
        weight /= weight.sum()
        cats.append(np.full(n, i))
        prices.append(price)
        costs.append(cost)
        names.extend(c.products)
        numbers.append(c.code * 1000 + 1 + np.arange(n))
        cdfs.append(np.cumsum(weight))
        expected.append(float(weight @ price) / 100)
    price_fen = np.concatenate(prices)
    cost_fen = np.concatenate(costs)
    category = np.concatenate(cats)
    sku_id = id_column("SKU", np.concatenate(numbers), 4)
    table = pa.table({
        schema.SKU_ID: sku_id,
        "name": pa.array(names, pa.string()),
        "category": label_column([c.name for c in CATEGORIES], category),
        "unit_cost": pa.array(cost_fen / 100),
        "list_price": pa.array(price_fen / 100),
    }).to_pandas()
    return Products(category, price_fen, cost_fen, np.asarray(offset), np.asarray(count),
                     cdfs, np.asarray(expected), sku_id, table)


def pick_sku(rng: np.random.Generator, prod: Products, category: np.ndarray) -> np.ndarray:
    """Global SKU index drawn by popularity within each element's category."""
    out = np.empty(category.shape, np.int64)
    u = rng.random(category.shape)
    for i in range(len(CATEGORIES)):
        m = category == i
        local = np.minimum(np.searchsorted(prod.cum_weight[i], u[m], side="right"),
                           prod.count[i] - 1)
        out[m] = prod.offset[i] + local
    return out
