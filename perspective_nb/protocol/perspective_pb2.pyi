from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ColumnType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STRING: _ClassVar[ColumnType]
    DATE: _ClassVar[ColumnType]
    DATETIME: _ClassVar[ColumnType]
    INTEGER: _ClassVar[ColumnType]
    FLOAT: _ClassVar[ColumnType]
    BOOLEAN: _ClassVar[ColumnType]

class StatusCode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SERVER_ERROR: _ClassVar[StatusCode]
    VIEW_NOT_FOUND: _ClassVar[StatusCode]
    TRANSPORT_ERROR: _ClassVar[StatusCode]

class SortOp(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SORT_NONE: _ClassVar[SortOp]
    SORT_ASC: _ClassVar[SortOp]
    SORT_DESC: _ClassVar[SortOp]
    SORT_COL_ASC: _ClassVar[SortOp]
    SORT_COL_DESC: _ClassVar[SortOp]
    SORT_ASC_ABS: _ClassVar[SortOp]
    SORT_DESC_ABS: _ClassVar[SortOp]
    SORT_COL_ASC_ABS: _ClassVar[SortOp]
    SORT_COL_DESC_ABS: _ClassVar[SortOp]

class GroupRollupMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ROLLUP: _ClassVar[GroupRollupMode]
    FLAT: _ClassVar[GroupRollupMode]
    TOTAL: _ClassVar[GroupRollupMode]

class SplitRollupMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SPLIT_FLAT: _ClassVar[SplitRollupMode]
    SPLIT_ROLLUP: _ClassVar[SplitRollupMode]

class ListFlatten(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ZIP: _ClassVar[ListFlatten]
    CARTESIAN: _ClassVar[ListFlatten]
    STRINGIFY: _ClassVar[ListFlatten]

class JoinType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INNER: _ClassVar[JoinType]
    LEFT: _ClassVar[JoinType]
    OUTER: _ClassVar[JoinType]
STRING: ColumnType
DATE: ColumnType
DATETIME: ColumnType
INTEGER: ColumnType
FLOAT: ColumnType
BOOLEAN: ColumnType
SERVER_ERROR: StatusCode
VIEW_NOT_FOUND: StatusCode
TRANSPORT_ERROR: StatusCode
SORT_NONE: SortOp
SORT_ASC: SortOp
SORT_DESC: SortOp
SORT_COL_ASC: SortOp
SORT_COL_DESC: SortOp
SORT_ASC_ABS: SortOp
SORT_DESC_ABS: SortOp
SORT_COL_ASC_ABS: SortOp
SORT_COL_DESC_ABS: SortOp
ROLLUP: GroupRollupMode
FLAT: GroupRollupMode
TOTAL: GroupRollupMode
SPLIT_FLAT: SplitRollupMode
SPLIT_ROLLUP: SplitRollupMode
ZIP: ListFlatten
CARTESIAN: ListFlatten
STRINGIFY: ListFlatten
INNER: JoinType
LEFT: JoinType
OUTER: JoinType

class ServerError(_message.Message):
    __slots__ = ("message", "status_code")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    message: str
    status_code: StatusCode
    def __init__(self, message: _Optional[str] = ..., status_code: _Optional[_Union[StatusCode, str]] = ...) -> None: ...

class Schema(_message.Message):
    __slots__ = ("schema",)
    class KeyTypePair(_message.Message):
        __slots__ = ("name", "type")
        NAME_FIELD_NUMBER: _ClassVar[int]
        TYPE_FIELD_NUMBER: _ClassVar[int]
        name: str
        type: ColumnType
        def __init__(self, name: _Optional[str] = ..., type: _Optional[_Union[ColumnType, str]] = ...) -> None: ...
    SCHEMA_FIELD_NUMBER: _ClassVar[int]
    schema: _containers.RepeatedCompositeFieldContainer[Schema.KeyTypePair]
    def __init__(self, schema: _Optional[_Iterable[_Union[Schema.KeyTypePair, _Mapping]]] = ...) -> None: ...

class MakeTableData(_message.Message):
    __slots__ = ("from_schema", "from_csv", "from_arrow", "from_rows", "from_cols", "from_view", "from_ndjson")
    FROM_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    FROM_CSV_FIELD_NUMBER: _ClassVar[int]
    FROM_ARROW_FIELD_NUMBER: _ClassVar[int]
    FROM_ROWS_FIELD_NUMBER: _ClassVar[int]
    FROM_COLS_FIELD_NUMBER: _ClassVar[int]
    FROM_VIEW_FIELD_NUMBER: _ClassVar[int]
    FROM_NDJSON_FIELD_NUMBER: _ClassVar[int]
    from_schema: Schema
    from_csv: str
    from_arrow: bytes
    from_rows: str
    from_cols: str
    from_view: str
    from_ndjson: str
    def __init__(self, from_schema: _Optional[_Union[Schema, _Mapping]] = ..., from_csv: _Optional[str] = ..., from_arrow: _Optional[bytes] = ..., from_rows: _Optional[str] = ..., from_cols: _Optional[str] = ..., from_view: _Optional[str] = ..., from_ndjson: _Optional[str] = ...) -> None: ...

class Scalar(_message.Message):
    __slots__ = ("bool", "float", "string", "null")
    BOOL_FIELD_NUMBER: _ClassVar[int]
    FLOAT_FIELD_NUMBER: _ClassVar[int]
    STRING_FIELD_NUMBER: _ClassVar[int]
    NULL_FIELD_NUMBER: _ClassVar[int]
    bool: bool
    float: float
    string: str
    null: _struct_pb2.NullValue
    def __init__(self, bool: _Optional[bool] = ..., float: _Optional[float] = ..., string: _Optional[str] = ..., null: _Optional[_Union[_struct_pb2.NullValue, str]] = ...) -> None: ...

class ViewPort(_message.Message):
    __slots__ = ("start_row", "start_col", "end_row", "end_col", "emit_legacy_row_path_names")
    START_ROW_FIELD_NUMBER: _ClassVar[int]
    START_COL_FIELD_NUMBER: _ClassVar[int]
    END_ROW_FIELD_NUMBER: _ClassVar[int]
    END_COL_FIELD_NUMBER: _ClassVar[int]
    EMIT_LEGACY_ROW_PATH_NAMES_FIELD_NUMBER: _ClassVar[int]
    start_row: int
    start_col: int
    end_row: int
    end_col: int
    emit_legacy_row_path_names: bool
    def __init__(self, start_row: _Optional[int] = ..., start_col: _Optional[int] = ..., end_row: _Optional[int] = ..., end_col: _Optional[int] = ..., emit_legacy_row_path_names: _Optional[bool] = ...) -> None: ...

class ColumnsUpdate(_message.Message):
    __slots__ = ("default_columns", "columns")
    class Columns(_message.Message):
        __slots__ = ("columns",)
        COLUMNS_FIELD_NUMBER: _ClassVar[int]
        columns: _containers.RepeatedScalarFieldContainer[str]
        def __init__(self, columns: _Optional[_Iterable[str]] = ...) -> None: ...
    DEFAULT_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    default_columns: _struct_pb2.NullValue
    columns: ColumnsUpdate.Columns
    def __init__(self, default_columns: _Optional[_Union[_struct_pb2.NullValue, str]] = ..., columns: _Optional[_Union[ColumnsUpdate.Columns, _Mapping]] = ...) -> None: ...

class ViewConfig(_message.Message):
    __slots__ = ("group_by", "split_by", "columns", "filter", "sort", "expressions", "aggregates", "filter_op", "group_by_depth", "group_rollup_mode", "windows", "split_rollup_mode")
    class FilterReducer(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        AND: _ClassVar[ViewConfig.FilterReducer]
        OR: _ClassVar[ViewConfig.FilterReducer]
    AND: ViewConfig.FilterReducer
    OR: ViewConfig.FilterReducer
    class AggList(_message.Message):
        __slots__ = ("aggregations",)
        AGGREGATIONS_FIELD_NUMBER: _ClassVar[int]
        aggregations: _containers.RepeatedScalarFieldContainer[str]
        def __init__(self, aggregations: _Optional[_Iterable[str]] = ...) -> None: ...
    class Sort(_message.Message):
        __slots__ = ("column", "op")
        COLUMN_FIELD_NUMBER: _ClassVar[int]
        OP_FIELD_NUMBER: _ClassVar[int]
        column: str
        op: SortOp
        def __init__(self, column: _Optional[str] = ..., op: _Optional[_Union[SortOp, str]] = ...) -> None: ...
    class Filter(_message.Message):
        __slots__ = ("column", "op", "value")
        COLUMN_FIELD_NUMBER: _ClassVar[int]
        OP_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        column: str
        op: str
        value: _containers.RepeatedCompositeFieldContainer[Scalar]
        def __init__(self, column: _Optional[str] = ..., op: _Optional[str] = ..., value: _Optional[_Iterable[_Union[Scalar, _Mapping]]] = ...) -> None: ...
    class ExpressionsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class AggregatesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: ViewConfig.AggList
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[ViewConfig.AggList, _Mapping]] = ...) -> None: ...
    class WindowsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: WindowSpec
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[WindowSpec, _Mapping]] = ...) -> None: ...
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    SPLIT_BY_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    SORT_FIELD_NUMBER: _ClassVar[int]
    EXPRESSIONS_FIELD_NUMBER: _ClassVar[int]
    AGGREGATES_FIELD_NUMBER: _ClassVar[int]
    FILTER_OP_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_DEPTH_FIELD_NUMBER: _ClassVar[int]
    GROUP_ROLLUP_MODE_FIELD_NUMBER: _ClassVar[int]
    WINDOWS_FIELD_NUMBER: _ClassVar[int]
    SPLIT_ROLLUP_MODE_FIELD_NUMBER: _ClassVar[int]
    group_by: _containers.RepeatedScalarFieldContainer[str]
    split_by: _containers.RepeatedScalarFieldContainer[str]
    columns: ColumnsUpdate
    filter: _containers.RepeatedCompositeFieldContainer[ViewConfig.Filter]
    sort: _containers.RepeatedCompositeFieldContainer[ViewConfig.Sort]
    expressions: _containers.ScalarMap[str, str]
    aggregates: _containers.MessageMap[str, ViewConfig.AggList]
    filter_op: ViewConfig.FilterReducer
    group_by_depth: int
    group_rollup_mode: GroupRollupMode
    windows: _containers.MessageMap[str, WindowSpec]
    split_rollup_mode: SplitRollupMode
    def __init__(self, group_by: _Optional[_Iterable[str]] = ..., split_by: _Optional[_Iterable[str]] = ..., columns: _Optional[_Union[ColumnsUpdate, _Mapping]] = ..., filter: _Optional[_Iterable[_Union[ViewConfig.Filter, _Mapping]]] = ..., sort: _Optional[_Iterable[_Union[ViewConfig.Sort, _Mapping]]] = ..., expressions: _Optional[_Mapping[str, str]] = ..., aggregates: _Optional[_Mapping[str, ViewConfig.AggList]] = ..., filter_op: _Optional[_Union[ViewConfig.FilterReducer, str]] = ..., group_by_depth: _Optional[int] = ..., group_rollup_mode: _Optional[_Union[GroupRollupMode, str]] = ..., windows: _Optional[_Mapping[str, WindowSpec]] = ..., split_rollup_mode: _Optional[_Union[SplitRollupMode, str]] = ...) -> None: ...

class WindowSpec(_message.Message):
    __slots__ = ("source", "op", "partition_by", "order_by", "rows", "range", "cumulative", "offset", "alpha")
    class Order(_message.Message):
        __slots__ = ("column", "direction")
        class Direction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
            __slots__ = ()
            ASC: _ClassVar[WindowSpec.Order.Direction]
            DESC: _ClassVar[WindowSpec.Order.Direction]
        ASC: WindowSpec.Order.Direction
        DESC: WindowSpec.Order.Direction
        COLUMN_FIELD_NUMBER: _ClassVar[int]
        DIRECTION_FIELD_NUMBER: _ClassVar[int]
        column: str
        direction: WindowSpec.Order.Direction
        def __init__(self, column: _Optional[str] = ..., direction: _Optional[_Union[WindowSpec.Order.Direction, str]] = ...) -> None: ...
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    OP_FIELD_NUMBER: _ClassVar[int]
    PARTITION_BY_FIELD_NUMBER: _ClassVar[int]
    ORDER_BY_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    RANGE_FIELD_NUMBER: _ClassVar[int]
    CUMULATIVE_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    ALPHA_FIELD_NUMBER: _ClassVar[int]
    source: str
    op: str
    partition_by: _containers.RepeatedScalarFieldContainer[str]
    order_by: WindowSpec.Order
    rows: int
    range: float
    cumulative: bool
    offset: int
    alpha: float
    def __init__(self, source: _Optional[str] = ..., op: _Optional[str] = ..., partition_by: _Optional[_Iterable[str]] = ..., order_by: _Optional[_Union[WindowSpec.Order, _Mapping]] = ..., rows: _Optional[int] = ..., range: _Optional[float] = ..., cumulative: _Optional[bool] = ..., offset: _Optional[int] = ..., alpha: _Optional[float] = ...) -> None: ...

class WindowAggregateArgs(_message.Message):
    __slots__ = ("name", "frames", "offset", "alpha", "result_type")
    NAME_FIELD_NUMBER: _ClassVar[int]
    FRAMES_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    ALPHA_FIELD_NUMBER: _ClassVar[int]
    RESULT_TYPE_FIELD_NUMBER: _ClassVar[int]
    name: str
    frames: _containers.RepeatedScalarFieldContainer[str]
    offset: bool
    alpha: bool
    result_type: ColumnType
    def __init__(self, name: _Optional[str] = ..., frames: _Optional[_Iterable[str]] = ..., offset: _Optional[bool] = ..., alpha: _Optional[bool] = ..., result_type: _Optional[_Union[ColumnType, str]] = ...) -> None: ...

class Request(_message.Message):
    __slots__ = ("msg_id", "entity_id", "get_features_req", "get_hosted_tables_req", "table_make_port_req", "table_make_view_req", "table_schema_req", "table_size_req", "table_validate_expr_req", "view_column_paths_req", "view_delete_req", "view_dimensions_req", "view_expression_schema_req", "view_get_config_req", "view_schema_req", "view_to_arrow_req", "server_system_info_req", "view_collapse_req", "view_expand_req", "view_get_min_max_req", "view_on_update_req", "view_remove_on_update_req", "view_set_depth_req", "view_to_columns_string_req", "view_to_csv_req", "view_to_rows_string_req", "make_table_req", "table_delete_req", "table_on_delete_req", "table_remove_delete_req", "table_remove_req", "table_replace_req", "table_update_req", "view_on_delete_req", "view_remove_delete_req", "view_to_ndjson_string_req", "remove_hosted_tables_update_req", "make_join_table_req")
    MSG_ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    GET_FEATURES_REQ_FIELD_NUMBER: _ClassVar[int]
    GET_HOSTED_TABLES_REQ_FIELD_NUMBER: _ClassVar[int]
    TABLE_MAKE_PORT_REQ_FIELD_NUMBER: _ClassVar[int]
    TABLE_MAKE_VIEW_REQ_FIELD_NUMBER: _ClassVar[int]
    TABLE_SCHEMA_REQ_FIELD_NUMBER: _ClassVar[int]
    TABLE_SIZE_REQ_FIELD_NUMBER: _ClassVar[int]
    TABLE_VALIDATE_EXPR_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_COLUMN_PATHS_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_DELETE_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_DIMENSIONS_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_EXPRESSION_SCHEMA_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_GET_CONFIG_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_SCHEMA_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_TO_ARROW_REQ_FIELD_NUMBER: _ClassVar[int]
    SERVER_SYSTEM_INFO_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_COLLAPSE_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_EXPAND_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_GET_MIN_MAX_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_ON_UPDATE_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_REMOVE_ON_UPDATE_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_SET_DEPTH_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_TO_COLUMNS_STRING_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_TO_CSV_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_TO_ROWS_STRING_REQ_FIELD_NUMBER: _ClassVar[int]
    MAKE_TABLE_REQ_FIELD_NUMBER: _ClassVar[int]
    TABLE_DELETE_REQ_FIELD_NUMBER: _ClassVar[int]
    TABLE_ON_DELETE_REQ_FIELD_NUMBER: _ClassVar[int]
    TABLE_REMOVE_DELETE_REQ_FIELD_NUMBER: _ClassVar[int]
    TABLE_REMOVE_REQ_FIELD_NUMBER: _ClassVar[int]
    TABLE_REPLACE_REQ_FIELD_NUMBER: _ClassVar[int]
    TABLE_UPDATE_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_ON_DELETE_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_REMOVE_DELETE_REQ_FIELD_NUMBER: _ClassVar[int]
    VIEW_TO_NDJSON_STRING_REQ_FIELD_NUMBER: _ClassVar[int]
    REMOVE_HOSTED_TABLES_UPDATE_REQ_FIELD_NUMBER: _ClassVar[int]
    MAKE_JOIN_TABLE_REQ_FIELD_NUMBER: _ClassVar[int]
    msg_id: int
    entity_id: str
    get_features_req: GetFeaturesReq
    get_hosted_tables_req: GetHostedTablesReq
    table_make_port_req: TableMakePortReq
    table_make_view_req: TableMakeViewReq
    table_schema_req: TableSchemaReq
    table_size_req: TableSizeReq
    table_validate_expr_req: TableValidateExprReq
    view_column_paths_req: ViewColumnPathsReq
    view_delete_req: ViewDeleteReq
    view_dimensions_req: ViewDimensionsReq
    view_expression_schema_req: ViewExpressionSchemaReq
    view_get_config_req: ViewGetConfigReq
    view_schema_req: ViewSchemaReq
    view_to_arrow_req: ViewToArrowReq
    server_system_info_req: ServerSystemInfoReq
    view_collapse_req: ViewCollapseReq
    view_expand_req: ViewExpandReq
    view_get_min_max_req: ViewGetMinMaxReq
    view_on_update_req: ViewOnUpdateReq
    view_remove_on_update_req: ViewRemoveOnUpdateReq
    view_set_depth_req: ViewSetDepthReq
    view_to_columns_string_req: ViewToColumnsStringReq
    view_to_csv_req: ViewToCSVReq
    view_to_rows_string_req: ViewToRowsStringReq
    make_table_req: MakeTableReq
    table_delete_req: TableDeleteReq
    table_on_delete_req: TableOnDeleteReq
    table_remove_delete_req: TableRemoveDeleteReq
    table_remove_req: TableRemoveReq
    table_replace_req: TableReplaceReq
    table_update_req: TableUpdateReq
    view_on_delete_req: ViewOnDeleteReq
    view_remove_delete_req: ViewRemoveDeleteReq
    view_to_ndjson_string_req: ViewToNdjsonStringReq
    remove_hosted_tables_update_req: RemoveHostedTablesUpdateReq
    make_join_table_req: MakeJoinTableReq
    def __init__(self, msg_id: _Optional[int] = ..., entity_id: _Optional[str] = ..., get_features_req: _Optional[_Union[GetFeaturesReq, _Mapping]] = ..., get_hosted_tables_req: _Optional[_Union[GetHostedTablesReq, _Mapping]] = ..., table_make_port_req: _Optional[_Union[TableMakePortReq, _Mapping]] = ..., table_make_view_req: _Optional[_Union[TableMakeViewReq, _Mapping]] = ..., table_schema_req: _Optional[_Union[TableSchemaReq, _Mapping]] = ..., table_size_req: _Optional[_Union[TableSizeReq, _Mapping]] = ..., table_validate_expr_req: _Optional[_Union[TableValidateExprReq, _Mapping]] = ..., view_column_paths_req: _Optional[_Union[ViewColumnPathsReq, _Mapping]] = ..., view_delete_req: _Optional[_Union[ViewDeleteReq, _Mapping]] = ..., view_dimensions_req: _Optional[_Union[ViewDimensionsReq, _Mapping]] = ..., view_expression_schema_req: _Optional[_Union[ViewExpressionSchemaReq, _Mapping]] = ..., view_get_config_req: _Optional[_Union[ViewGetConfigReq, _Mapping]] = ..., view_schema_req: _Optional[_Union[ViewSchemaReq, _Mapping]] = ..., view_to_arrow_req: _Optional[_Union[ViewToArrowReq, _Mapping]] = ..., server_system_info_req: _Optional[_Union[ServerSystemInfoReq, _Mapping]] = ..., view_collapse_req: _Optional[_Union[ViewCollapseReq, _Mapping]] = ..., view_expand_req: _Optional[_Union[ViewExpandReq, _Mapping]] = ..., view_get_min_max_req: _Optional[_Union[ViewGetMinMaxReq, _Mapping]] = ..., view_on_update_req: _Optional[_Union[ViewOnUpdateReq, _Mapping]] = ..., view_remove_on_update_req: _Optional[_Union[ViewRemoveOnUpdateReq, _Mapping]] = ..., view_set_depth_req: _Optional[_Union[ViewSetDepthReq, _Mapping]] = ..., view_to_columns_string_req: _Optional[_Union[ViewToColumnsStringReq, _Mapping]] = ..., view_to_csv_req: _Optional[_Union[ViewToCSVReq, _Mapping]] = ..., view_to_rows_string_req: _Optional[_Union[ViewToRowsStringReq, _Mapping]] = ..., make_table_req: _Optional[_Union[MakeTableReq, _Mapping]] = ..., table_delete_req: _Optional[_Union[TableDeleteReq, _Mapping]] = ..., table_on_delete_req: _Optional[_Union[TableOnDeleteReq, _Mapping]] = ..., table_remove_delete_req: _Optional[_Union[TableRemoveDeleteReq, _Mapping]] = ..., table_remove_req: _Optional[_Union[TableRemoveReq, _Mapping]] = ..., table_replace_req: _Optional[_Union[TableReplaceReq, _Mapping]] = ..., table_update_req: _Optional[_Union[TableUpdateReq, _Mapping]] = ..., view_on_delete_req: _Optional[_Union[ViewOnDeleteReq, _Mapping]] = ..., view_remove_delete_req: _Optional[_Union[ViewRemoveDeleteReq, _Mapping]] = ..., view_to_ndjson_string_req: _Optional[_Union[ViewToNdjsonStringReq, _Mapping]] = ..., remove_hosted_tables_update_req: _Optional[_Union[RemoveHostedTablesUpdateReq, _Mapping]] = ..., make_join_table_req: _Optional[_Union[MakeJoinTableReq, _Mapping]] = ...) -> None: ...

class Response(_message.Message):
    __slots__ = ("msg_id", "entity_id", "get_features_resp", "get_hosted_tables_resp", "table_make_port_resp", "table_make_view_resp", "table_schema_resp", "table_size_resp", "table_validate_expr_resp", "view_column_paths_resp", "view_delete_resp", "view_dimensions_resp", "view_expression_schema_resp", "view_get_config_resp", "view_schema_resp", "view_to_arrow_resp", "server_system_info_resp", "view_collapse_resp", "view_expand_resp", "view_get_min_max_resp", "view_on_update_resp", "view_remove_on_update_resp", "view_set_depth_resp", "view_to_columns_string_resp", "view_to_csv_resp", "view_to_rows_string_resp", "make_table_resp", "table_delete_resp", "table_on_delete_resp", "table_remove_delete_resp", "table_remove_resp", "table_replace_resp", "table_update_resp", "view_on_delete_resp", "view_remove_delete_resp", "view_to_ndjson_string_resp", "remove_hosted_tables_update_resp", "make_join_table_resp", "server_error")
    MSG_ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    GET_FEATURES_RESP_FIELD_NUMBER: _ClassVar[int]
    GET_HOSTED_TABLES_RESP_FIELD_NUMBER: _ClassVar[int]
    TABLE_MAKE_PORT_RESP_FIELD_NUMBER: _ClassVar[int]
    TABLE_MAKE_VIEW_RESP_FIELD_NUMBER: _ClassVar[int]
    TABLE_SCHEMA_RESP_FIELD_NUMBER: _ClassVar[int]
    TABLE_SIZE_RESP_FIELD_NUMBER: _ClassVar[int]
    TABLE_VALIDATE_EXPR_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_COLUMN_PATHS_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_DELETE_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_DIMENSIONS_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_EXPRESSION_SCHEMA_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_GET_CONFIG_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_SCHEMA_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_TO_ARROW_RESP_FIELD_NUMBER: _ClassVar[int]
    SERVER_SYSTEM_INFO_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_COLLAPSE_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_EXPAND_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_GET_MIN_MAX_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_ON_UPDATE_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_REMOVE_ON_UPDATE_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_SET_DEPTH_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_TO_COLUMNS_STRING_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_TO_CSV_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_TO_ROWS_STRING_RESP_FIELD_NUMBER: _ClassVar[int]
    MAKE_TABLE_RESP_FIELD_NUMBER: _ClassVar[int]
    TABLE_DELETE_RESP_FIELD_NUMBER: _ClassVar[int]
    TABLE_ON_DELETE_RESP_FIELD_NUMBER: _ClassVar[int]
    TABLE_REMOVE_DELETE_RESP_FIELD_NUMBER: _ClassVar[int]
    TABLE_REMOVE_RESP_FIELD_NUMBER: _ClassVar[int]
    TABLE_REPLACE_RESP_FIELD_NUMBER: _ClassVar[int]
    TABLE_UPDATE_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_ON_DELETE_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_REMOVE_DELETE_RESP_FIELD_NUMBER: _ClassVar[int]
    VIEW_TO_NDJSON_STRING_RESP_FIELD_NUMBER: _ClassVar[int]
    REMOVE_HOSTED_TABLES_UPDATE_RESP_FIELD_NUMBER: _ClassVar[int]
    MAKE_JOIN_TABLE_RESP_FIELD_NUMBER: _ClassVar[int]
    SERVER_ERROR_FIELD_NUMBER: _ClassVar[int]
    msg_id: int
    entity_id: str
    get_features_resp: GetFeaturesResp
    get_hosted_tables_resp: GetHostedTablesResp
    table_make_port_resp: TableMakePortResp
    table_make_view_resp: TableMakeViewResp
    table_schema_resp: TableSchemaResp
    table_size_resp: TableSizeResp
    table_validate_expr_resp: TableValidateExprResp
    view_column_paths_resp: ViewColumnPathsResp
    view_delete_resp: ViewDeleteResp
    view_dimensions_resp: ViewDimensionsResp
    view_expression_schema_resp: ViewExpressionSchemaResp
    view_get_config_resp: ViewGetConfigResp
    view_schema_resp: ViewSchemaResp
    view_to_arrow_resp: ViewToArrowResp
    server_system_info_resp: ServerSystemInfoResp
    view_collapse_resp: ViewCollapseResp
    view_expand_resp: ViewExpandResp
    view_get_min_max_resp: ViewGetMinMaxResp
    view_on_update_resp: ViewOnUpdateResp
    view_remove_on_update_resp: ViewRemoveOnUpdateResp
    view_set_depth_resp: ViewSetDepthResp
    view_to_columns_string_resp: ViewToColumnsStringResp
    view_to_csv_resp: ViewToCSVResp
    view_to_rows_string_resp: ViewToRowsStringResp
    make_table_resp: MakeTableResp
    table_delete_resp: TableDeleteResp
    table_on_delete_resp: TableOnDeleteResp
    table_remove_delete_resp: TableRemoveDeleteResp
    table_remove_resp: TableRemoveResp
    table_replace_resp: TableReplaceResp
    table_update_resp: TableUpdateResp
    view_on_delete_resp: ViewOnDeleteResp
    view_remove_delete_resp: ViewRemoveDeleteResp
    view_to_ndjson_string_resp: ViewToNdjsonStringResp
    remove_hosted_tables_update_resp: RemoveHostedTablesUpdateResp
    make_join_table_resp: MakeJoinTableResp
    server_error: ServerError
    def __init__(self, msg_id: _Optional[int] = ..., entity_id: _Optional[str] = ..., get_features_resp: _Optional[_Union[GetFeaturesResp, _Mapping]] = ..., get_hosted_tables_resp: _Optional[_Union[GetHostedTablesResp, _Mapping]] = ..., table_make_port_resp: _Optional[_Union[TableMakePortResp, _Mapping]] = ..., table_make_view_resp: _Optional[_Union[TableMakeViewResp, _Mapping]] = ..., table_schema_resp: _Optional[_Union[TableSchemaResp, _Mapping]] = ..., table_size_resp: _Optional[_Union[TableSizeResp, _Mapping]] = ..., table_validate_expr_resp: _Optional[_Union[TableValidateExprResp, _Mapping]] = ..., view_column_paths_resp: _Optional[_Union[ViewColumnPathsResp, _Mapping]] = ..., view_delete_resp: _Optional[_Union[ViewDeleteResp, _Mapping]] = ..., view_dimensions_resp: _Optional[_Union[ViewDimensionsResp, _Mapping]] = ..., view_expression_schema_resp: _Optional[_Union[ViewExpressionSchemaResp, _Mapping]] = ..., view_get_config_resp: _Optional[_Union[ViewGetConfigResp, _Mapping]] = ..., view_schema_resp: _Optional[_Union[ViewSchemaResp, _Mapping]] = ..., view_to_arrow_resp: _Optional[_Union[ViewToArrowResp, _Mapping]] = ..., server_system_info_resp: _Optional[_Union[ServerSystemInfoResp, _Mapping]] = ..., view_collapse_resp: _Optional[_Union[ViewCollapseResp, _Mapping]] = ..., view_expand_resp: _Optional[_Union[ViewExpandResp, _Mapping]] = ..., view_get_min_max_resp: _Optional[_Union[ViewGetMinMaxResp, _Mapping]] = ..., view_on_update_resp: _Optional[_Union[ViewOnUpdateResp, _Mapping]] = ..., view_remove_on_update_resp: _Optional[_Union[ViewRemoveOnUpdateResp, _Mapping]] = ..., view_set_depth_resp: _Optional[_Union[ViewSetDepthResp, _Mapping]] = ..., view_to_columns_string_resp: _Optional[_Union[ViewToColumnsStringResp, _Mapping]] = ..., view_to_csv_resp: _Optional[_Union[ViewToCSVResp, _Mapping]] = ..., view_to_rows_string_resp: _Optional[_Union[ViewToRowsStringResp, _Mapping]] = ..., make_table_resp: _Optional[_Union[MakeTableResp, _Mapping]] = ..., table_delete_resp: _Optional[_Union[TableDeleteResp, _Mapping]] = ..., table_on_delete_resp: _Optional[_Union[TableOnDeleteResp, _Mapping]] = ..., table_remove_delete_resp: _Optional[_Union[TableRemoveDeleteResp, _Mapping]] = ..., table_remove_resp: _Optional[_Union[TableRemoveResp, _Mapping]] = ..., table_replace_resp: _Optional[_Union[TableReplaceResp, _Mapping]] = ..., table_update_resp: _Optional[_Union[TableUpdateResp, _Mapping]] = ..., view_on_delete_resp: _Optional[_Union[ViewOnDeleteResp, _Mapping]] = ..., view_remove_delete_resp: _Optional[_Union[ViewRemoveDeleteResp, _Mapping]] = ..., view_to_ndjson_string_resp: _Optional[_Union[ViewToNdjsonStringResp, _Mapping]] = ..., remove_hosted_tables_update_resp: _Optional[_Union[RemoveHostedTablesUpdateResp, _Mapping]] = ..., make_join_table_resp: _Optional[_Union[MakeJoinTableResp, _Mapping]] = ..., server_error: _Optional[_Union[ServerError, _Mapping]] = ...) -> None: ...

class GetFeaturesReq(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetFeaturesResp(_message.Message):
    __slots__ = ("group_by", "split_by", "expressions", "on_update", "sort", "filter_ops", "aggregates", "group_rollup_mode", "window_aggregates", "split_rollup_mode")
    class ColumnTypeOptions(_message.Message):
        __slots__ = ("options",)
        OPTIONS_FIELD_NUMBER: _ClassVar[int]
        options: _containers.RepeatedScalarFieldContainer[str]
        def __init__(self, options: _Optional[_Iterable[str]] = ...) -> None: ...
    class AggregateArgs(_message.Message):
        __slots__ = ("name", "args")
        NAME_FIELD_NUMBER: _ClassVar[int]
        ARGS_FIELD_NUMBER: _ClassVar[int]
        name: str
        args: _containers.RepeatedScalarFieldContainer[ColumnType]
        def __init__(self, name: _Optional[str] = ..., args: _Optional[_Iterable[_Union[ColumnType, str]]] = ...) -> None: ...
    class AggregateOptions(_message.Message):
        __slots__ = ("aggregates",)
        AGGREGATES_FIELD_NUMBER: _ClassVar[int]
        aggregates: _containers.RepeatedCompositeFieldContainer[GetFeaturesResp.AggregateArgs]
        def __init__(self, aggregates: _Optional[_Iterable[_Union[GetFeaturesResp.AggregateArgs, _Mapping]]] = ...) -> None: ...
    class WindowAggregateOptions(_message.Message):
        __slots__ = ("aggregates",)
        AGGREGATES_FIELD_NUMBER: _ClassVar[int]
        aggregates: _containers.RepeatedCompositeFieldContainer[WindowAggregateArgs]
        def __init__(self, aggregates: _Optional[_Iterable[_Union[WindowAggregateArgs, _Mapping]]] = ...) -> None: ...
    class FilterOpsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: int
        value: GetFeaturesResp.ColumnTypeOptions
        def __init__(self, key: _Optional[int] = ..., value: _Optional[_Union[GetFeaturesResp.ColumnTypeOptions, _Mapping]] = ...) -> None: ...
    class AggregatesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: int
        value: GetFeaturesResp.AggregateOptions
        def __init__(self, key: _Optional[int] = ..., value: _Optional[_Union[GetFeaturesResp.AggregateOptions, _Mapping]] = ...) -> None: ...
    class WindowAggregatesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: int
        value: GetFeaturesResp.WindowAggregateOptions
        def __init__(self, key: _Optional[int] = ..., value: _Optional[_Union[GetFeaturesResp.WindowAggregateOptions, _Mapping]] = ...) -> None: ...
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    SPLIT_BY_FIELD_NUMBER: _ClassVar[int]
    EXPRESSIONS_FIELD_NUMBER: _ClassVar[int]
    ON_UPDATE_FIELD_NUMBER: _ClassVar[int]
    SORT_FIELD_NUMBER: _ClassVar[int]
    FILTER_OPS_FIELD_NUMBER: _ClassVar[int]
    AGGREGATES_FIELD_NUMBER: _ClassVar[int]
    GROUP_ROLLUP_MODE_FIELD_NUMBER: _ClassVar[int]
    WINDOW_AGGREGATES_FIELD_NUMBER: _ClassVar[int]
    SPLIT_ROLLUP_MODE_FIELD_NUMBER: _ClassVar[int]
    group_by: bool
    split_by: bool
    expressions: bool
    on_update: bool
    sort: bool
    filter_ops: _containers.MessageMap[int, GetFeaturesResp.ColumnTypeOptions]
    aggregates: _containers.MessageMap[int, GetFeaturesResp.AggregateOptions]
    group_rollup_mode: _containers.RepeatedScalarFieldContainer[GroupRollupMode]
    window_aggregates: _containers.MessageMap[int, GetFeaturesResp.WindowAggregateOptions]
    split_rollup_mode: _containers.RepeatedScalarFieldContainer[SplitRollupMode]
    def __init__(self, group_by: _Optional[bool] = ..., split_by: _Optional[bool] = ..., expressions: _Optional[bool] = ..., on_update: _Optional[bool] = ..., sort: _Optional[bool] = ..., filter_ops: _Optional[_Mapping[int, GetFeaturesResp.ColumnTypeOptions]] = ..., aggregates: _Optional[_Mapping[int, GetFeaturesResp.AggregateOptions]] = ..., group_rollup_mode: _Optional[_Iterable[_Union[GroupRollupMode, str]]] = ..., window_aggregates: _Optional[_Mapping[int, GetFeaturesResp.WindowAggregateOptions]] = ..., split_rollup_mode: _Optional[_Iterable[_Union[SplitRollupMode, str]]] = ...) -> None: ...

class GetHostedTablesReq(_message.Message):
    __slots__ = ("subscribe",)
    SUBSCRIBE_FIELD_NUMBER: _ClassVar[int]
    subscribe: bool
    def __init__(self, subscribe: _Optional[bool] = ...) -> None: ...

class HostedTable(_message.Message):
    __slots__ = ("entity_id", "index", "limit")
    ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    entity_id: str
    index: str
    limit: int
    def __init__(self, entity_id: _Optional[str] = ..., index: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class GetHostedTablesResp(_message.Message):
    __slots__ = ("table_infos",)
    TABLE_INFOS_FIELD_NUMBER: _ClassVar[int]
    table_infos: _containers.RepeatedCompositeFieldContainer[HostedTable]
    def __init__(self, table_infos: _Optional[_Iterable[_Union[HostedTable, _Mapping]]] = ...) -> None: ...

class RemoveHostedTablesUpdateReq(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    def __init__(self, id: _Optional[int] = ...) -> None: ...

class RemoveHostedTablesUpdateResp(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ServerSystemInfoReq(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ServerSystemInfoResp(_message.Message):
    __slots__ = ("heap_size", "used_size", "cpu_time", "cpu_time_epoch")
    HEAP_SIZE_FIELD_NUMBER: _ClassVar[int]
    USED_SIZE_FIELD_NUMBER: _ClassVar[int]
    CPU_TIME_FIELD_NUMBER: _ClassVar[int]
    CPU_TIME_EPOCH_FIELD_NUMBER: _ClassVar[int]
    heap_size: int
    used_size: int
    cpu_time: int
    cpu_time_epoch: int
    def __init__(self, heap_size: _Optional[int] = ..., used_size: _Optional[int] = ..., cpu_time: _Optional[int] = ..., cpu_time_epoch: _Optional[int] = ...) -> None: ...

class MakeTableReq(_message.Message):
    __slots__ = ("data", "options")
    class MakeTableOptions(_message.Message):
        __slots__ = ("make_index_table", "make_limit_table", "page_to_disk", "list_flatten", "schema")
        MAKE_INDEX_TABLE_FIELD_NUMBER: _ClassVar[int]
        MAKE_LIMIT_TABLE_FIELD_NUMBER: _ClassVar[int]
        PAGE_TO_DISK_FIELD_NUMBER: _ClassVar[int]
        LIST_FLATTEN_FIELD_NUMBER: _ClassVar[int]
        SCHEMA_FIELD_NUMBER: _ClassVar[int]
        make_index_table: str
        make_limit_table: int
        page_to_disk: bool
        list_flatten: ListFlatten
        schema: Schema
        def __init__(self, make_index_table: _Optional[str] = ..., make_limit_table: _Optional[int] = ..., page_to_disk: _Optional[bool] = ..., list_flatten: _Optional[_Union[ListFlatten, str]] = ..., schema: _Optional[_Union[Schema, _Mapping]] = ...) -> None: ...
    DATA_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    data: MakeTableData
    options: MakeTableReq.MakeTableOptions
    def __init__(self, data: _Optional[_Union[MakeTableData, _Mapping]] = ..., options: _Optional[_Union[MakeTableReq.MakeTableOptions, _Mapping]] = ...) -> None: ...

class MakeTableResp(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MakeJoinTableReq(_message.Message):
    __slots__ = ("left_table_id", "right_table_id", "on_column", "join_type", "right_on_column")
    LEFT_TABLE_ID_FIELD_NUMBER: _ClassVar[int]
    RIGHT_TABLE_ID_FIELD_NUMBER: _ClassVar[int]
    ON_COLUMN_FIELD_NUMBER: _ClassVar[int]
    JOIN_TYPE_FIELD_NUMBER: _ClassVar[int]
    RIGHT_ON_COLUMN_FIELD_NUMBER: _ClassVar[int]
    left_table_id: str
    right_table_id: str
    on_column: str
    join_type: JoinType
    right_on_column: str
    def __init__(self, left_table_id: _Optional[str] = ..., right_table_id: _Optional[str] = ..., on_column: _Optional[str] = ..., join_type: _Optional[_Union[JoinType, str]] = ..., right_on_column: _Optional[str] = ...) -> None: ...

class MakeJoinTableResp(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TableSchemaReq(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TableSchemaResp(_message.Message):
    __slots__ = ("schema",)
    SCHEMA_FIELD_NUMBER: _ClassVar[int]
    schema: Schema
    def __init__(self, schema: _Optional[_Union[Schema, _Mapping]] = ...) -> None: ...

class TableSizeReq(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TableSizeResp(_message.Message):
    __slots__ = ("size",)
    SIZE_FIELD_NUMBER: _ClassVar[int]
    size: int
    def __init__(self, size: _Optional[int] = ...) -> None: ...

class TableMakePortReq(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TableMakePortResp(_message.Message):
    __slots__ = ("port_id",)
    PORT_ID_FIELD_NUMBER: _ClassVar[int]
    port_id: int
    def __init__(self, port_id: _Optional[int] = ...) -> None: ...

class TableMakeViewReq(_message.Message):
    __slots__ = ("view_id", "config")
    VIEW_ID_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    view_id: str
    config: ViewConfig
    def __init__(self, view_id: _Optional[str] = ..., config: _Optional[_Union[ViewConfig, _Mapping]] = ...) -> None: ...

class TableMakeViewResp(_message.Message):
    __slots__ = ("view_id",)
    VIEW_ID_FIELD_NUMBER: _ClassVar[int]
    view_id: str
    def __init__(self, view_id: _Optional[str] = ...) -> None: ...

class TableValidateExprReq(_message.Message):
    __slots__ = ("column_to_expr",)
    class ColumnToExprEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    COLUMN_TO_EXPR_FIELD_NUMBER: _ClassVar[int]
    column_to_expr: _containers.ScalarMap[str, str]
    def __init__(self, column_to_expr: _Optional[_Mapping[str, str]] = ...) -> None: ...

class TableValidateExprResp(_message.Message):
    __slots__ = ("expression_schema", "errors", "expression_alias")
    class ExprValidationError(_message.Message):
        __slots__ = ("error_message", "line", "column")
        ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
        LINE_FIELD_NUMBER: _ClassVar[int]
        COLUMN_FIELD_NUMBER: _ClassVar[int]
        error_message: str
        line: int
        column: int
        def __init__(self, error_message: _Optional[str] = ..., line: _Optional[int] = ..., column: _Optional[int] = ...) -> None: ...
    class ExpressionSchemaEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: ColumnType
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[ColumnType, str]] = ...) -> None: ...
    class ErrorsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: TableValidateExprResp.ExprValidationError
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[TableValidateExprResp.ExprValidationError, _Mapping]] = ...) -> None: ...
    class ExpressionAliasEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    EXPRESSION_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    EXPRESSION_ALIAS_FIELD_NUMBER: _ClassVar[int]
    expression_schema: _containers.ScalarMap[str, ColumnType]
    errors: _containers.MessageMap[str, TableValidateExprResp.ExprValidationError]
    expression_alias: _containers.ScalarMap[str, str]
    def __init__(self, expression_schema: _Optional[_Mapping[str, ColumnType]] = ..., errors: _Optional[_Mapping[str, TableValidateExprResp.ExprValidationError]] = ..., expression_alias: _Optional[_Mapping[str, str]] = ...) -> None: ...

class TableUpdateReq(_message.Message):
    __slots__ = ("data", "port_id")
    DATA_FIELD_NUMBER: _ClassVar[int]
    PORT_ID_FIELD_NUMBER: _ClassVar[int]
    data: MakeTableData
    port_id: int
    def __init__(self, data: _Optional[_Union[MakeTableData, _Mapping]] = ..., port_id: _Optional[int] = ...) -> None: ...

class TableUpdateResp(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TableRemoveReq(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: MakeTableData
    def __init__(self, data: _Optional[_Union[MakeTableData, _Mapping]] = ...) -> None: ...

class TableRemoveResp(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TableReplaceReq(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: MakeTableData
    def __init__(self, data: _Optional[_Union[MakeTableData, _Mapping]] = ...) -> None: ...

class TableReplaceResp(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TableDeleteReq(_message.Message):
    __slots__ = ("is_immediate",)
    IS_IMMEDIATE_FIELD_NUMBER: _ClassVar[int]
    is_immediate: bool
    def __init__(self, is_immediate: _Optional[bool] = ...) -> None: ...

class TableDeleteResp(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TableOnDeleteReq(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TableOnDeleteResp(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TableRemoveDeleteReq(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    def __init__(self, id: _Optional[int] = ...) -> None: ...

class TableRemoveDeleteResp(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ViewSchemaReq(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ViewSchemaResp(_message.Message):
    __slots__ = ("schema",)
    class SchemaEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: ColumnType
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[ColumnType, str]] = ...) -> None: ...
    SCHEMA_FIELD_NUMBER: _ClassVar[int]
    schema: _containers.ScalarMap[str, ColumnType]
    def __init__(self, schema: _Optional[_Mapping[str, ColumnType]] = ...) -> None: ...

class ViewExpressionSchemaReq(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ViewExpressionSchemaResp(_message.Message):
    __slots__ = ("schema",)
    class SchemaEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: ColumnType
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[ColumnType, str]] = ...) -> None: ...
    SCHEMA_FIELD_NUMBER: _ClassVar[int]
    schema: _containers.ScalarMap[str, ColumnType]
    def __init__(self, schema: _Optional[_Mapping[str, ColumnType]] = ...) -> None: ...

class ViewDimensionsReq(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ViewDimensionsResp(_message.Message):
    __slots__ = ("num_table_rows", "num_table_columns", "num_view_rows", "num_view_columns")
    NUM_TABLE_ROWS_FIELD_NUMBER: _ClassVar[int]
    NUM_TABLE_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    NUM_VIEW_ROWS_FIELD_NUMBER: _ClassVar[int]
    NUM_VIEW_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    num_table_rows: int
    num_table_columns: int
    num_view_rows: int
    num_view_columns: int
    def __init__(self, num_table_rows: _Optional[int] = ..., num_table_columns: _Optional[int] = ..., num_view_rows: _Optional[int] = ..., num_view_columns: _Optional[int] = ...) -> None: ...

class ViewGetConfigReq(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ViewGetConfigResp(_message.Message):
    __slots__ = ("config",)
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    config: ViewConfig
    def __init__(self, config: _Optional[_Union[ViewConfig, _Mapping]] = ...) -> None: ...

class ViewColumnPathsReq(_message.Message):
    __slots__ = ("start_col", "end_col")
    START_COL_FIELD_NUMBER: _ClassVar[int]
    END_COL_FIELD_NUMBER: _ClassVar[int]
    start_col: int
    end_col: int
    def __init__(self, start_col: _Optional[int] = ..., end_col: _Optional[int] = ...) -> None: ...

class ViewColumnPathsResp(_message.Message):
    __slots__ = ("paths", "levels")
    PATHS_FIELD_NUMBER: _ClassVar[int]
    LEVELS_FIELD_NUMBER: _ClassVar[int]
    paths: _containers.RepeatedScalarFieldContainer[str]
    levels: _containers.RepeatedCompositeFieldContainer[ColumnPathLevel]
    def __init__(self, paths: _Optional[_Iterable[str]] = ..., levels: _Optional[_Iterable[_Union[ColumnPathLevel, _Mapping]]] = ...) -> None: ...

class ColumnPathLevel(_message.Message):
    __slots__ = ("values",)
    VALUES_FIELD_NUMBER: _ClassVar[int]
    values: _containers.RepeatedCompositeFieldContainer[Scalar]
    def __init__(self, values: _Optional[_Iterable[_Union[Scalar, _Mapping]]] = ...) -> None: ...

class ViewToColumnsStringReq(_message.Message):
    __slots__ = ("viewport", "id", "index", "formatted", "leaves_only")
    VIEWPORT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    FORMATTED_FIELD_NUMBER: _ClassVar[int]
    LEAVES_ONLY_FIELD_NUMBER: _ClassVar[int]
    viewport: ViewPort
    id: bool
    index: bool
    formatted: bool
    leaves_only: bool
    def __init__(self, viewport: _Optional[_Union[ViewPort, _Mapping]] = ..., id: _Optional[bool] = ..., index: _Optional[bool] = ..., formatted: _Optional[bool] = ..., leaves_only: _Optional[bool] = ...) -> None: ...

class ViewToColumnsStringResp(_message.Message):
    __slots__ = ("json_string",)
    JSON_STRING_FIELD_NUMBER: _ClassVar[int]
    json_string: str
    def __init__(self, json_string: _Optional[str] = ...) -> None: ...

class ViewToRowsStringReq(_message.Message):
    __slots__ = ("viewport", "id", "index", "formatted", "leaves_only")
    VIEWPORT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    FORMATTED_FIELD_NUMBER: _ClassVar[int]
    LEAVES_ONLY_FIELD_NUMBER: _ClassVar[int]
    viewport: ViewPort
    id: bool
    index: bool
    formatted: bool
    leaves_only: bool
    def __init__(self, viewport: _Optional[_Union[ViewPort, _Mapping]] = ..., id: _Optional[bool] = ..., index: _Optional[bool] = ..., formatted: _Optional[bool] = ..., leaves_only: _Optional[bool] = ...) -> None: ...

class ViewToRowsStringResp(_message.Message):
    __slots__ = ("json_string",)
    JSON_STRING_FIELD_NUMBER: _ClassVar[int]
    json_string: str
    def __init__(self, json_string: _Optional[str] = ...) -> None: ...

class ViewToNdjsonStringReq(_message.Message):
    __slots__ = ("viewport", "id", "index", "formatted", "leaves_only")
    VIEWPORT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    FORMATTED_FIELD_NUMBER: _ClassVar[int]
    LEAVES_ONLY_FIELD_NUMBER: _ClassVar[int]
    viewport: ViewPort
    id: bool
    index: bool
    formatted: bool
    leaves_only: bool
    def __init__(self, viewport: _Optional[_Union[ViewPort, _Mapping]] = ..., id: _Optional[bool] = ..., index: _Optional[bool] = ..., formatted: _Optional[bool] = ..., leaves_only: _Optional[bool] = ...) -> None: ...

class ViewToNdjsonStringResp(_message.Message):
    __slots__ = ("ndjson_string",)
    NDJSON_STRING_FIELD_NUMBER: _ClassVar[int]
    ndjson_string: str
    def __init__(self, ndjson_string: _Optional[str] = ...) -> None: ...

class ViewToArrowReq(_message.Message):
    __slots__ = ("viewport", "compression")
    VIEWPORT_FIELD_NUMBER: _ClassVar[int]
    COMPRESSION_FIELD_NUMBER: _ClassVar[int]
    viewport: ViewPort
    compression: str
    def __init__(self, viewport: _Optional[_Union[ViewPort, _Mapping]] = ..., compression: _Optional[str] = ...) -> None: ...

class ViewToArrowResp(_message.Message):
    __slots__ = ("arrow",)
    ARROW_FIELD_NUMBER: _ClassVar[int]
    arrow: bytes
    def __init__(self, arrow: _Optional[bytes] = ...) -> None: ...

class ViewToCSVReq(_message.Message):
    __slots__ = ("viewport",)
    VIEWPORT_FIELD_NUMBER: _ClassVar[int]
    viewport: ViewPort
    def __init__(self, viewport: _Optional[_Union[ViewPort, _Mapping]] = ...) -> None: ...

class ViewToCSVResp(_message.Message):
    __slots__ = ("csv",)
    CSV_FIELD_NUMBER: _ClassVar[int]
    csv: str
    def __init__(self, csv: _Optional[str] = ...) -> None: ...

class ViewGetMinMaxReq(_message.Message):
    __slots__ = ("column_name",)
    COLUMN_NAME_FIELD_NUMBER: _ClassVar[int]
    column_name: str
    def __init__(self, column_name: _Optional[str] = ...) -> None: ...

class ViewGetMinMaxResp(_message.Message):
    __slots__ = ("min", "max")
    MIN_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    min: str
    max: str
    def __init__(self, min: _Optional[str] = ..., max: _Optional[str] = ...) -> None: ...

class ViewGetMinMaxScalarResp(_message.Message):
    __slots__ = ("min", "max")
    MIN_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    min: Scalar
    max: Scalar
    def __init__(self, min: _Optional[_Union[Scalar, _Mapping]] = ..., max: _Optional[_Union[Scalar, _Mapping]] = ...) -> None: ...

class ScalarMinMaxResponse(_message.Message):
    __slots__ = ("msg_id", "entity_id", "view_get_min_max_resp")
    MSG_ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    VIEW_GET_MIN_MAX_RESP_FIELD_NUMBER: _ClassVar[int]
    msg_id: int
    entity_id: str
    view_get_min_max_resp: ViewGetMinMaxScalarResp
    def __init__(self, msg_id: _Optional[int] = ..., entity_id: _Optional[str] = ..., view_get_min_max_resp: _Optional[_Union[ViewGetMinMaxScalarResp, _Mapping]] = ...) -> None: ...

class ViewExpandReq(_message.Message):
    __slots__ = ("row_index",)
    ROW_INDEX_FIELD_NUMBER: _ClassVar[int]
    row_index: int
    def __init__(self, row_index: _Optional[int] = ...) -> None: ...

class ViewExpandResp(_message.Message):
    __slots__ = ("num_changed",)
    NUM_CHANGED_FIELD_NUMBER: _ClassVar[int]
    num_changed: int
    def __init__(self, num_changed: _Optional[int] = ...) -> None: ...

class ViewCollapseReq(_message.Message):
    __slots__ = ("row_index",)
    ROW_INDEX_FIELD_NUMBER: _ClassVar[int]
    row_index: int
    def __init__(self, row_index: _Optional[int] = ...) -> None: ...

class ViewCollapseResp(_message.Message):
    __slots__ = ("num_changed",)
    NUM_CHANGED_FIELD_NUMBER: _ClassVar[int]
    num_changed: int
    def __init__(self, num_changed: _Optional[int] = ...) -> None: ...

class ViewSetDepthReq(_message.Message):
    __slots__ = ("depth",)
    DEPTH_FIELD_NUMBER: _ClassVar[int]
    depth: int
    def __init__(self, depth: _Optional[int] = ...) -> None: ...

class ViewSetDepthResp(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ViewOnUpdateReq(_message.Message):
    __slots__ = ("mode",)
    class Mode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        ROW: _ClassVar[ViewOnUpdateReq.Mode]
    ROW: ViewOnUpdateReq.Mode
    MODE_FIELD_NUMBER: _ClassVar[int]
    mode: ViewOnUpdateReq.Mode
    def __init__(self, mode: _Optional[_Union[ViewOnUpdateReq.Mode, str]] = ...) -> None: ...

class ViewOnUpdateResp(_message.Message):
    __slots__ = ("delta", "port_id")
    DELTA_FIELD_NUMBER: _ClassVar[int]
    PORT_ID_FIELD_NUMBER: _ClassVar[int]
    delta: bytes
    port_id: int
    def __init__(self, delta: _Optional[bytes] = ..., port_id: _Optional[int] = ...) -> None: ...

class ViewRemoveOnUpdateReq(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    def __init__(self, id: _Optional[int] = ...) -> None: ...

class ViewRemoveOnUpdateResp(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ViewOnDeleteReq(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ViewOnDeleteResp(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ViewRemoveDeleteReq(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    def __init__(self, id: _Optional[int] = ...) -> None: ...

class ViewRemoveDeleteResp(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ViewDeleteReq(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ViewDeleteResp(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
