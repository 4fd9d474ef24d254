# ruff: noqa: E501  (the header lists are the platforms' own, kept one per line as exported)
"""Platform export fixtures: one planted truth written in each built-in profile's layout.

The headers are the profiles' own (wxshop/data/profiles/*.yaml, each citing where its header list
comes from), with the columns around them that real exports carry. Every file also carries
planted personal data (buyers' names, phones, openids, addresses, ID numbers in free text), so
the tests can look for it in everything wxshop writes.

``truth(seed)`` draws buyers and orders; ``write_<profile>(folder, truth)`` writes the files;
``expected(truth, ...)`` gives the figures a correct load must find.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

START = dt.datetime(2024, 6, 1)
DAYS = 30
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟"]
STREETS = ["人民路", "解放大道", "中山北路", "建设街", "滨江大道", "世纪大道"]
SKUS = [("SKU101", "五常大米5kg", "食品", 59.9), ("SKU102", "每日坚果30袋", "食品", 89.0),
        ("SKU201", "洗衣凝珠52颗", "日化", 39.9), ("SKU301", "蓝牙耳机", "数码配件", 129.0),
        ("SKU302", "快充数据线", "数码配件", 19.9)]


@dataclass
class Buyer:
    phone: str
    openid: str
    unionid: str
    name: str
    address: str
    id_card: str


@dataclass
class Order:
    order_id: str
    buyer: Buyer
    at: dt.datetime
    lines: list[tuple[str, str, int, float]]  # sku, name, quantity, unit price
    discount: float
    kind: str  # paid / refunded (full) / partial / cancelled / revoked
    refund: float = 0.0
    refund_at: dt.datetime | None = None

    @property
    def amount(self) -> float:
        return round(sum(q * p for _, _, q, p in self.lines) - self.discount, 2)


@dataclass
class Truth:
    buyers: list[Buyer]
    orders: list[Order] = field(default_factory=list)

    def of(self, *kinds: str) -> list[Order]:
        return [o for o in self.orders if o.kind in kinds]


def _id_card(rng: random.Random) -> str:
    body = f"{rng.randint(110000, 659000)}19{rng.randint(60, 99)}{rng.randint(1, 12):02d}" \
           f"{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def truth(seed: int = 3, buyers: int = 60, orders: int = 160) -> Truth:
    """Buyers with planted personal data and orders over 30 days, of every kind."""
    rng = random.Random(seed)
    people = []
    for i in range(buyers):
        people.append(Buyer(
            phone=f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
            openid="o" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz0123456789-_")
                                 for _ in range(27)),
            unionid="u" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(27)),
            name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            address=f"浙江省杭州市西湖区{rng.choice(STREETS)}{rng.randint(1, 999)}号{rng.randint(1, 30)}栋{i + 101}室",
            id_card=_id_card(rng),
        ))
    t = Truth(people)
    kinds = (["paid"] * 130 + ["refunded"] * 10 + ["partial"] * 8 + ["cancelled"] * 8
             + ["revoked"] * 4)
    for n in range(orders):
        at = START + dt.timedelta(days=rng.randrange(DAYS - 3), seconds=rng.randrange(8 * 3600, 22 * 3600))
        lines = []
        for sku, name, _, price in rng.sample(SKUS, rng.randint(1, 3)):
            lines.append((sku, name, rng.randint(1, 3), price))
        kind = kinds[n % len(kinds)] if n < len(kinds) else "paid"
        order = Order(f"{n + 1:05d}", rng.choice(people), at, lines,
                      discount=rng.choice([0.0, 0.0, 5.0, 10.0]), kind=kind)
        if kind in ("refunded", "partial"):
            order.refund = order.amount if kind == "refunded" else round(order.amount / 3, 2)
            order.refund_at = at + dt.timedelta(days=rng.randint(0, 2), hours=2)
        t.orders.append(order)
    t.orders.sort(key=lambda o: o.at)
    return t


def _csv(path: Path, header: list[str], rows: list[list[object]], encoding: str = "utf-8-sig",
         title: str = "", footer: list[str] | None = None) -> Path:
    import csv
    import io

    buf = io.StringIO()
    if title:
        buf.write(title + "\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in r] for r in rows])
    for line in footer or []:
        buf.write(line + "\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def _t(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else ""


# ---- WeChat Pay trade bills: one file a day -------------------------------------------------

BILL_HEADER = ("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,"
               "付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,"
               "退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注").split(",")


SUCCESS_HEADER = [h for h in BILL_HEADER if h not in (
    "微信退款单号", "商户退款单号", "退款金额", "充值券退款金额", "退款类型", "退款状态", "申请退款金额")]
REFUND_HEADER = BILL_HEADER[:14] + ["退款申请时间", "退款成功时间"] + BILL_HEADER[14:]
HEADERS = {"ALL": BILL_HEADER, "SUCCESS": SUCCESS_HEADER, "REFUND": REFUND_HEADER}


def write_wxpay_bills(folder: Path, t: Truth, bill_type: str = "ALL", sub: str = "bills") -> list[Path]:
    """A folder of 30 daily bills of ``bill_type`` (unpaid orders never appear in a bill). ALL:
    SUCCESS rows, REFUND rows on the refund's day, a REVOKED row after its SUCCESS row; SUCCESS:
    the payments only; REFUND: the refunds only, dated by the original payment (交易时间) with
    退款申请时间 / 退款成功时间. A summary block ends every bill."""
    days: dict[dt.date, list[tuple[dt.datetime, dict[str, str]]]] = {}

    def add(at: dt.datetime, o: Order, status: str, refund: float = 0.0) -> None:
        paid = o.amount if status == "SUCCESS" else 0.0
        row = dict(zip(BILL_HEADER, [
            _t(at), "wx8a5f2c1b3e4d6f70", "1600012345", "0", "", f"42000{o.order_id}{o.at:%Y%m%d}",
            f"WX{o.order_id}", o.buyer.openid, "JSAPI", status, "OTHERS", "CNY", f"{paid:.2f}",
            f"{o.discount if status == 'SUCCESS' else 0:.2f}",
            "0" if status == "SUCCESS" else f"5030{o.order_id}{status[:2]}",
            "0" if status == "SUCCESS" else f"R{o.order_id}", f"{refund:.2f}", "0.00",
            "" if status == "SUCCESS" else "ORIGINAL", "" if status == "SUCCESS" else "SUCCESS",
            ", ".join(n for _, n, _, _ in o.lines), f"收货人{o.buyer.name} 电话{o.buyer.phone}",
            f"{paid * 0.006:.5f}", "0.60%", f"{paid:.2f}", f"{refund:.2f}", ""], strict=True))
        if status == "REFUND":
            row.update({"退款申请时间": _t(at), "退款成功时间": _t(at + dt.timedelta(seconds=3))})
            if bill_type == "REFUND":
                row["交易时间"] = _t(o.at)
                at = o.refund_at  # a REFUND bill is by the refund's day
        days.setdefault(at.date(), []).append((at, row))

    for o in t.orders:
        if o.kind == "cancelled":
            continue
        if bill_type in ("ALL", "SUCCESS"):
            add(o.at, o, "SUCCESS")
        if o.kind in ("refunded", "partial") and bill_type in ("ALL", "REFUND"):
            add(o.refund_at, o, "REFUND", o.refund)
        if o.kind == "revoked" and bill_type == "ALL":
            add(o.at + dt.timedelta(minutes=5), o, "REVOKED")
    header = HEADERS[bill_type]
    paths = []
    for day in range(DAYS):
        date = (START + dt.timedelta(days=day)).date()
        rows = [r for _, r in sorted(days.get(date, []), key=lambda x: x[0])]
        lines = [",".join(header)] + [",".join("`" + r.get(h, "") for h in header) for r in rows]
        total = sum(float(r["订单金额"]) for r in rows)
        refunds = sum(float(r["申请退款金额"]) for r in rows)
        lines.append("总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额")
        lines.append(f"`{len(rows)},`{total:.2f},`{refunds:.2f},`0.00,`0.00000,`{total:.2f},`{refunds:.2f}")
        path = folder / sub / f"tradebill_{bill_type.lower()}_{date:%Y%m%d}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


# ---- 有赞: order export and item export ------------------------------------------------------

YOUZAN_STATUS = {"paid": "交易完成", "refunded": "交易完成", "partial": "交易完成", "cancelled": "交易关闭",
                 "revoked": "交易关闭"}


def write_youzan(folder: Path, t: Truth) -> None:
    header = ["订单号", "销售渠道", "归属店铺", "订单类型", "订单状态", "推广方式", "订单来源", "订单创建时间",
              "买家付款时间", "交易成功时间", "付款方式", "商品金额合计", "运费", "店铺优惠合计", "应收订单金额",
              "订单实付金额", "全部商品名称", "商品种类数", "收货人省份", "收货人城市", "详细收货地址/提货地址",
              "收货人/提货人", "收货人手机号/提货人手机号", "买家备注", "买家昵称", "买家是否会员", "买家手机号",
              "分销员", "订单退款状态", "订单已退款金额", "商家订单备注", "分销员"]
    rows = []
    for i, o in enumerate(t.orders):
        status = YOUZAN_STATUS[o.kind] if i % 9 else ("待发货" if o.kind == "paid" else YOUZAN_STATUS[o.kind])
        rows.append([f"E2024{o.order_id}", "网店", "旗舰店", "普通订单", status, "", "商家小程序", _t(o.at),
                     _t(o.at) if o.kind != "cancelled" else "", "", "微信支付",
                     f"{o.amount + o.discount:.2f}", "0.00", f"{o.discount:.2f}", f"{o.amount:.2f}",
                     f"{o.amount:.2f}", "；".join(n for _, n, _, _ in o.lines), len(o.lines), "浙江省",
                     "杭州市", o.buyer.address, o.buyer.name, "\t" + o.buyer.phone,
                     f"请联系{o.buyer.phone}" if i % 7 == 0 else "", o.buyer.name + "的小店",
                     "是", "\t" + o.buyer.phone, "李导购", "退款成功" if o.refund else "",
                     f"{o.refund:.2f}", f"身份证{o.buyer.id_card}" if i % 11 == 0 else "", "王分销"])
    _csv(folder / "youzan_orders_202406.csv", header, rows)
    item_header = ["订单号", "外部订单号", "订单商品状态", "交易成功时间", "商品名称", "商品类型", "商品类目",
                   "商品规格", "规格编码", "商品编码", "商品单价", "商品成本价", "商品优惠方式", "商品优惠后价格",
                   "商品数量", "商品金额小计", "店铺优惠（分摊）", "商品实际成交金额", "商品留言", "收货人/提货人",
                   "收货人手机号/提货人手机号", "详细收货地址/提货地址", "买家备注", "商品退款状态", "商品已退款金额"]
    items = []
    for o in t.orders:
        for sku, name, q, p in o.lines:
            items.append([f"E2024{o.order_id}", "", "已发货", "", name, "普通类型商品", "", "默认", "", sku,
                          f"{p:.2f}", "", "", f"{p:.2f}", q, f"{q * p:.2f}", "0.00", f"{q * p:.2f}",
                          "", o.buyer.name, "\t" + o.buyer.phone, o.buyer.address, "", "", "0.00"])
    _csv(folder / "youzan_items_202406.csv", item_header, items)


# ---- line-level exports: 微盟, 微信小店, ERP ------------------------------------------------------

def _lines(t: Truth, status_of, row_of) -> list[list[object]]:
    return [row_of(o, status_of(o), line) for o in t.orders for line in o.lines]


WEIMOB_STATUS = {"paid": "已完成", "refunded": "已退款", "partial": "已完成", "cancelled": "已取消",
                 "revoked": "已取消"}


def write_weimob(folder: Path, t: Truth) -> None:
    header = ["订单编号", "下单时间", "支付时间", "订单状态", "下单渠道", "客户ID", "买家昵称", "买家手机号",
              "商品名称", "商品编码", "SKU编码", "商品单价", "商品数量", "优惠金额", "实付金额", "订单退款金额",
              "收货人", "收货人手机号", "收货地址", "买家留言"]

    def row(o, status, line):
        sku, name, q, p = line
        return [f"WM{o.order_id}", _t(o.at), _t(o.at), status, "微信小程序", f"W{t.buyers.index(o.buyer):06d}",
                o.buyer.name, o.buyer.phone, name, sku, sku, f"{p:.2f}", q, f"{o.discount:.2f}",
                f"{o.amount:.2f}", f"{o.refund:.2f}", o.buyer.name, o.buyer.phone, o.buyer.address, ""]
    # an XLSX workbook with a title line above the header, as back offices often write
    book = Workbook()
    sheet = book.active
    sheet.append(["微盟订单导出 2024-06-01 至 2024-06-30"])
    sheet.append(header)
    for r in _lines(t, lambda o: WEIMOB_STATUS[o.kind], row):
        sheet.append(r)
    folder.mkdir(parents=True, exist_ok=True)
    book.save(folder / "微盟订单导出.xlsx")


WXSHOP_STATUS = {"paid": "已完成", "refunded": "全部商品售后之后订单取消", "partial": "已完成",
                 "cancelled": "已取消", "revoked": "已取消"}


def write_wxshop(folder: Path, t: Truth) -> None:
    header = ["订单号", "下单时间", "支付时间", "订单状态", "订单场景", "用户openid", "商品名称", "商品ID",
              "SKU ID", "商品售价", "商品数量", "优惠金额", "订单实付金额", "售后退款金额", "收件人",
              "收件人手机号", "省", "市", "区", "详细地址", "买家备注"]

    def row(o, status, line):
        sku, name, q, p = line
        return [f"37{o.order_id}{o.at:%m%d%H%M}", _t(o.at), _t(o.at), status, "直播间", o.buyer.openid, name,
                sku[:6], sku, f"{p:.2f}", q, f"{o.discount:.2f}", f"{o.amount:.2f}", f"{o.refund:.2f}",
                o.buyer.name, o.buyer.phone, "浙江省", "杭州市", "西湖区", o.buyer.address, ""]
    _csv(folder / "视频号小店订单.csv", header, _lines(t, lambda o: WXSHOP_STATUS[o.kind], row))


ERP_STATUS = {"paid": "已发货", "refunded": "已取消", "partial": "已发货", "cancelled": "已取消",
              "revoked": "已取消"}


def write_erp(folder: Path, t: Truth) -> None:
    header = ["内部订单号", "线上订单号", "店铺", "订单状态", "订单日期", "付款日期", "应付金额", "已付金额",
              "商品编码", "名称", "产品分类", "数量", "单价", "成本价", "收件人", "手机", "省", "市", "区",
              "地址", "快递公司", "快递单号", "买家留言"]

    def row(o, status, line):
        sku, name, q, p = line
        money = f"{o.amount:,.2f}"  # thousands separators, as ERPs write them
        return [f"J{o.order_id}", f"TB{o.order_id}", "微信小店", status, _t(o.at), _t(o.at), money, money,
                sku, name, "", q, f"{p:.2f}", "", o.buyer.name, o.buyer.phone, "浙江省", "杭州市", "西湖区",
                o.buyer.address, "中通", f"ZT{o.order_id}", ""]
    rows = _lines(t, lambda o: ERP_STATUS[o.kind], row)
    total = sum(o.amount for o in t.orders)
    _csv(folder / "聚水潭订单明细.csv", header, rows, encoding="gb18030",
         footer=[f"合计,,,,,,{total:.2f}"])


# ---- 企业微信 customer list --------------------------------------------------------------------

def write_wecom(folder: Path, t: Truth) -> list[tuple[str, str]]:
    """Contacts for the first 40 buyers (some added by two staff); returns (phone or "", staff)."""
    header = ["客户名称", "描述", "添加人", "添加人账号", "添加人所属部门", "添加时间", "来源", "手机", "企业",
              "邮箱", "地址", "职务", "电话", "标签组1(会员等级)"]
    rows, added = [], []
    staff = [("李店长", "lidianzhang"), ("赵导购", "zhaodaogou")]
    for i, b in enumerate(t.buyers[:40]):
        for name, account in staff[: 1 + (i % 5 == 0)]:
            phone = b.phone if i % 4 else ""
            rows.append([b.name, f"老客，身份证{b.id_card}" if i % 6 == 0 else "", name, account, "门店",
                         _t(START + dt.timedelta(days=i % 28, hours=10)), "扫描二维码" if i % 3 else "群聊",
                         phone, "", "", b.address if i % 8 == 0 else "", "", "", "金卡" if i % 2 else "银卡"])
            added.append((phone, account))
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    folder.mkdir(parents=True, exist_ok=True)
    book.save(folder / "客户列表.xlsx")
    return added


def personal_values(t: Truth) -> list[str]:
    """Every planted personal value, to look for in what wxshop writes."""
    out = []
    for b in t.buyers:
        out += [b.phone, b.openid, b.unionid, b.id_card, b.address, b.name + "的小店"]
    return out


WRITERS = {
    "wx_bill": (write_wxpay_bills,),
    "youzan": (write_youzan, write_wecom),
    "weimob": (write_weimob,),
    "wxshop": (write_wxshop,),
    "erp": (write_erp,),
}


def write_stores(project: Path, t: Truth) -> list[str]:
    """One store per export kind in ``project`` (data/<store>/ and params/stores/<store>.yaml),
    with no `columns:` mapping; returns the store names."""
    for name, writers in WRITERS.items():
        for write in writers:
            write(project / "data" / name, t)
        (project / "params" / "stores" / f"{name}.yaml").write_text(
            f"data_dir: data/{name}\n", encoding="utf-8")
    return list(WRITERS)


def write_youzan_customers(folder: Path, t: Truth) -> None:
    header = ["客户姓名", "客户昵称", "客户手机号", "客户生日", "客户性别", "标签", "是否会员", "成长值",
              "消费次数", "消费金额", "上次消费时间", "分销员", "导购员", "企微好友", "来源渠道", "来源方式",
              "成为客户时间", "成为会员时间", "微信地域", ""]
    rows = []
    for i, b in enumerate(t.buyers):
        rows.append([b.name, b.name + "的小店", b.phone, f"19{80 + i % 20}-0{1 + i % 9}-1{i % 9}",
                     "女" if i % 3 else "男", "老客", "是", "100", "", "", "", "王分销", "李导购",
                     "是" if i % 2 else "否", "微信小程序", "登录创建客户",
                     _t(START - dt.timedelta(days=30 + i)), "", "浙江 杭州", ""])
    _csv(folder / "youzan_customers.csv", header, rows)


MY_ERP = (
    "id: my_erp\ntitle: 我们的 ERP\ndownload: ERP → 报表 → 导出\nheaders_from: a real export\n"
    "table: order_lines\nfingerprint: [单据编号, 货品编码, 买家手机]\n"
    "columns: {单据编号: order_id, 开单时间: ordered_at, 实收金额: amount, 货品编码: sku_id,"
    " 件数: quantity, 售价: unit_price}\n"
    "identities: {买家手机: phone}\nstatuses: {已审核: paid, 作废: cancelled}\n"
    "items: [sku_id, quantity, unit_price]\nstop_at: [本页小计]\n"
)


def project_with_profile(project: Path) -> Path:
    """A project (params/defaults.yaml) whose params/sources/ holds a house ERP layout, my_erp."""
    (project / "params" / "sources").mkdir(parents=True)
    (project / "params" / "defaults.yaml").write_text("lang: zh\n", encoding="utf-8")
    (project / "params" / "sources" / "my_erp.yaml").write_text(MY_ERP, encoding="utf-8")
    return project
