using System;

namespace LlmCache;

/// <summary>
/// An application secret that protects the entries LlmCache keeps outside the process (Redis, S3, disk, custom
/// stores). Off by default. With a secret, every remote key is HMAC-SHA256(secret, canonical key bytes) instead of
/// SHA-256, so someone who can read the store cannot confirm a guessed prompt by hashing it; and every stored entry
/// carries an HMAC-SHA256 tag bound to its key, so someone who can write to the store cannot plant an answer or move
/// one to another key: an entry without a valid tag is a miss, deleted and counted. Payloads stay readable to
/// anyone who can read the store. See docs/integrity.md.
/// </summary>
/// <remarks>
/// Set <see cref="Secret"/> or <see cref="SecretBase64"/>, not both. Changing the secret starts a new keyspace:
/// entries written under the old one are no longer found and expire by their TTL.
/// </remarks>
public sealed class IntegrityOptions
{
    /// <summary>The fewest secret bytes accepted: 32 (256 bits), the HMAC-SHA256 key size.</summary>
    public const int MinimumSecretLength = 32;

    /// <summary>
    /// The secret: at least <see cref="MinimumSecretLength"/> random bytes, the same in every process that shares the
    /// stores; <c>null</c> (the default) for no integrity. The runtime keeps a copy, so changing the array afterwards
    /// changes nothing.
    /// </summary>
    public byte[]? Secret { get; set; }

    /// <summary>
    /// The secret as a base64 string, the form configuration and environment variables carry
    /// (<c>LlmCache:Integrity:SecretBase64</c>); <c>null</c> for none. Generate one with
    /// <c>openssl rand -base64 32</c>.
    /// </summary>
    public string? SecretBase64 { get; set; }

    /// <summary>Whether a secret is set.</summary>
    public bool Enabled => Secret is not null || SecretBase64 is not null;

    /// <summary>The secret's bytes, copied; <c>null</c> when integrity is off. Call after <see cref="Validate"/>.</summary>
    internal byte[]? ResolveSecret() =>
        Secret is { } bytes ? bytes.AsSpan().ToArray() : SecretBase64 is { } text ? Convert.FromBase64String(text) : null;

    // The messages name the setting and the rule, never the secret.
    internal void Validate()
    {
        if (Secret is not null && SecretBase64 is not null)
        {
            throw new ArgumentOutOfRangeException(nameof(Secret), "Set LlmCache:Integrity:Secret or LlmCache:Integrity:SecretBase64, not both.");
        }

        int length;
        if (SecretBase64 is { } text)
        {
            byte[] decoded = new byte[(text.Length * 3 / 4) + 3];
            if (!Convert.TryFromBase64String(text, decoded, out length))
            {
                throw new ArgumentOutOfRangeException(nameof(SecretBase64), "LlmCache:Integrity:SecretBase64 is not valid base64.");
            }

            decoded.AsSpan().Clear();
        }
        else if (Secret is { } bytes)
        {
            length = bytes.Length;
        }
        else
        {
            return;
        }

        if (length < MinimumSecretLength)
        {
            throw new ArgumentOutOfRangeException(
                SecretBase64 is null ? nameof(Secret) : nameof(SecretBase64),
                $"LlmCache:Integrity's secret must be at least {MinimumSecretLength} random bytes; it has {length}. Generate one with `openssl rand -base64 32`.");
        }
    }

    internal IntegrityOptions Clone() => new() { Secret = Secret?.AsSpan().ToArray(), SecretBase64 = SecretBase64 };
}
