//! Just enough of the protobuf wire format to read the few settings Recall
//! needs from Anki's schema-18 blobs: varints and length-delimited fields.
//! Fixed-width fields are stepped over; groups (long deprecated) are refused.

/// A decoded message: each field's number and value, in file order.
#[derive(Debug, Default)]
pub(super) struct Message<'a> {
    fields: Vec<(u64, Value<'a>)>,
}

#[derive(Debug, Clone, Copy)]
enum Value<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed,
}

impl<'a> Message<'a> {
    /// Decodes one message; `Err` says what is wrong with the bytes.
    pub(super) fn decode(mut bytes: &'a [u8]) -> Result<Message<'a>, String> {
        let mut fields = Vec::new();
        while !bytes.is_empty() {
            let key = varint(&mut bytes)?;
            let number = key >> 3;
            let value = match key & 7 {
                0 => Value::Varint(varint(&mut bytes)?),
                1 => {
                    take(&mut bytes, 8)?;
                    Value::Fixed
                }
                2 => {
                    let len = usize::try_from(varint(&mut bytes)?)
                        .map_err(|_| "a field is too long".to_string())?;
                    Value::Bytes(take(&mut bytes, len)?)
                }
                5 => {
                    take(&mut bytes, 4)?;
                    Value::Fixed
                }
                other => return Err(format!("unsupported wire type {other}")),
            };
            fields.push((number, value));
        }
        Ok(Message { fields })
    }

    /// The varint field `number` (0, protobuf's default, when absent).
    pub(super) fn varint(&self, number: u64) -> u64 {
        self.last(number)
            .and_then(|v| match v {
                Value::Varint(n) => Some(n),
                _ => None,
            })
            .unwrap_or(0)
    }

    /// The string field `number` ("" when absent), decoding invalid UTF-8 lossily.
    pub(super) fn string(&self, number: u64) -> String {
        self.last(number)
            .and_then(|v| match v {
                Value::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// Protobuf lets a later copy of a scalar field override an earlier one.
    fn last(&self, number: u64) -> Option<Value<'a>> {
        self.fields
            .iter()
            .rev()
            .find(|(n, _)| *n == number)
            .map(|&(_, v)| v)
    }
}

fn varint(bytes: &mut &[u8]) -> Result<u64, String> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = bytes
            .split_first()
            .ok_or_else(|| "the data ends inside a number".to_string())?;
        *bytes = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err("a number is longer than 10 bytes".to_string())
}

fn take<'a>(bytes: &mut &'a [u8], len: usize) -> Result<&'a [u8], String> {
    if bytes.len() < len {
        return Err("the data ends inside a field".to_string());
    }
    let (head, rest) = bytes.split_at(len);
    *bytes = rest;
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::Message;

    #[test]
    fn reads_varints_and_strings_and_skips_the_rest() {
        // 1: varint 1; 9: fixed64; 2: "ab"; 3: fixed32; 4: varint 300; 2: "xyz" (overrides)
        let bytes = [
            0x08, 0x01, 0x49, 1, 2, 3, 4, 5, 6, 7, 8, 0x12, 0x02, b'a', b'b', 0x1d, 1, 2, 3, 4,
            0x20, 0xac, 0x02, 0x12, 0x03, b'x', b'y', b'z',
        ];
        let message = Message::decode(&bytes).expect("valid message");
        assert_eq!(message.varint(1), 1);
        assert_eq!(message.varint(4), 300);
        assert_eq!(message.string(2), "xyz");
        assert_eq!(message.varint(7), 0, "absent fields read as the default");
        assert_eq!(message.string(7), "");
    }

    #[test]
    fn anki_template_config_yields_its_formats() {
        // A template config as Anki 25 stores it: q_format, a_format, then an int64.
        let bytes = b"\n\t{{Front}}\x12\x0b{{Back}} ok@\x01";
        let message = Message::decode(bytes).expect("valid message");
        assert_eq!(message.string(1), "{{Front}}");
        assert_eq!(message.string(2), "{{Back}} ok");
    }

    #[test]
    fn truncated_or_odd_data_is_an_error() {
        assert!(Message::decode(&[0x12, 0x05, b'a']).is_err());
        assert!(Message::decode(&[0x08, 0x80]).is_err());
        assert!(Message::decode(&[0x0b]).is_err(), "groups are refused");
        assert!(Message::decode(&[0x08]).is_err(), "a key without its value");
    }
}
