namespace LlmCache;

/// <summary>
/// The type tag written before every value in a canonical key. Tags keep values of different types apart
/// (the string "1" never equals the number 1) and, with the length prefixes, make the encoding prefix-free.
/// The numbers are part of the stored key format: never renumber them.
/// </summary>
internal enum KeyTag : byte
{
    Null = 0x00,
    Namespace = 0x01,
    Method = 0x02,
    False = 0x03,
    True = 0x04,
    Byte = 0x05,
    SByte = 0x06,
    Int16 = 0x07,
    UInt16 = 0x08,
    Int32 = 0x09,
    UInt32 = 0x0A,
    Int64 = 0x0B,
    UInt64 = 0x0C,
    Single = 0x0D,
    Double = 0x0E,
    Decimal = 0x0F,
    Char = 0x10,
    String = 0x11,
    StringUtf16 = 0x12,
    Guid = 0x13,
    DateTime = 0x14,
    DateTimeOffset = 0x15,
    TimeSpan = 0x16,
    DateOnly = 0x17,
    TimeOnly = 0x18,
    Bytes = 0x19,

    /// <summary>Streams wrote this tag until issue #9; they now write <see cref="Bytes"/>, as the same content in an array does. Reserved.</summary>
    Stream = 0x1A,
    List = 0x1B,
    Object = 0x1C,
    Enum = 0x1D,
    Half = 0x1E,
    Int128 = 0x1F,
    UInt128 = 0x20,
    Custom = 0x21,
    Map = 0x22,

    /// <summary>A JSON number, by its text as written (Microsoft.Extensions.AI values and schemas).</summary>
    JsonNumber = 0x23,

    /// <summary>
    /// A string of <see cref="CacheKeyWriter.DigestedStringBytes"/> or more UTF-8 bytes, by the SHA-256 of its UTF-8
    /// (32 bytes, no length): a long prompt makes a short key. Shorter strings are <see cref="String"/>.
    /// </summary>
    StringDigest = 0x24,

    /// <summary>
    /// A JSON schema a request declares (a tool's parameters or return, a response format), by the SHA-256 of its
    /// canonical key bytes (32 bytes, no length): the same tools come back on every call, and their digest keeps the
    /// key short. Its own tag, so no string's digest can equal a schema's.
    /// </summary>
    SchemaDigest = 0x25,
}
