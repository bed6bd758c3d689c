"""View configs compiled to SQL text, for tables that live in a database.

Pure string building: no I/O, no database driver imported. The
``perspective_nb.virtual`` package runs what this package writes against
DuckDB or Spark.

``dialect``    quoting and literals per backend (DuckDB, Spark SQL)
``filters``    filter terms -> a WHERE predicate with Perspective's null rules
``aggregates`` Perspective's aggregates as SQL aggregate expressions
``query``      a whole view: flat rows, or group_by at every depth in tree order
``tree``       windows over a grouped query's tree: visibility, percentages, roll-ups
``translate``  expression columns -> SQL expressions (or an ExpressionError)
"""

from .dialect import DUCKDB, SPARK, Dialect
from .query import ViewQuery, compile_view

__all__ = ["DUCKDB", "SPARK", "Dialect", "ViewQuery", "compile_view"]
