using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace LlmCache.Embeddings.MiniLM;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2 (384 dimensions, unit length), computed in-process on ONNX Runtime with
/// the model that ships inside this package: no network, no download, no files. Thread-safe: one instance serves
/// concurrent calls. Each call tokenises its texts, pads them to the longest, runs the model once per
/// <see cref="MiniLmEmbeddingGeneratorOptions.MaxBatchSize"/> texts, and mean-pools and normalises the token
/// vectors as sentence-transformers does. Create one instance and keep it: loading the model takes a moment and
/// about 90 MB.
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The length of every vector this generator returns.</summary>
    public const int Dimensions = 384;

    /// <summary>The model's name, as <see cref="EmbeddingGeneratorMetadata.DefaultModelId"/> reports it.</summary>
    public const string ModelId = "sentence-transformers/all-MiniLM-L6-v2";

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly int _maxTokens;
    private readonly int _maxBatchSize;
    private readonly EmbeddingGeneratorMetadata _metadata = new("LlmCache.Embeddings.MiniLM", defaultModelId: ModelId, defaultModelDimensions: Dimensions);

    /// <summary>Loads the embedded model with the default settings.</summary>
    public MiniLmEmbeddingGenerator()
        : this(new MiniLmEmbeddingGeneratorOptions())
    {
    }

    /// <summary>Loads the embedded model.</summary>
    /// <param name="options">Token and batch limits and the threads of one run.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public MiniLmEmbeddingGenerator(MiniLmEmbeddingGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _maxTokens = options.MaxTokens;
        _maxBatchSize = options.MaxBatchSize;

        // all-MiniLM-L6-v2 is uncased BERT: lower-cased, accents stripped, punctuation split, as its Hugging Face
        // tokenizer does.
        using (Stream vocabulary = MiniLmModelResources.OpenVocabulary())
        {
            _tokenizer = BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
        }

        using var sessionOptions = new SessionOptions { IntraOpNumThreads = options.IntraOpThreads };
        _session = new InferenceSession(MiniLmModelResources.ReadModel(), sessionOptions);
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_disposed, this);
        string[] texts = values.ToArray();
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        DateTimeOffset created = DateTimeOffset.UtcNow;
        for (int start = 0; start < texts.Length; start += _maxBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (float[] vector in EmbedBatch(texts.AsSpan(start, Math.Min(_maxBatchSize, texts.Length - start))))
            {
                result.Add(new Embedding<float>(vector) { ModelId = ModelId, CreatedAt = created });
            }
        }

        // The work is CPU-bound and done on the caller's thread, like a synchronous call: wrapping it in Task.Run
        // would only move it to another thread.
        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    private volatile bool _disposed;

    /// <summary>Releases the model's native memory.</summary>
    public void Dispose()
    {
        _disposed = true;
        _session.Dispose();
    }

    internal IReadOnlyList<int> Tokenize(string text) =>
        _tokenizer.EncodeToIds(text, _maxTokens, addSpecialTokens: true, out _, out _);

    private float[][] EmbedBatch(ReadOnlySpan<string> texts)
    {
        var tokenIds = new IReadOnlyList<int>[texts.Length];
        int longest = 0;
        for (int i = 0; i < texts.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(texts[i], "values");
            tokenIds[i] = Tokenize(texts[i]);
            longest = Math.Max(longest, tokenIds[i].Count);
        }

        // Padding (id 0 with attention 0) up to the longest text; token type ids stay 0 for a single sentence.
        long[] inputIds = new long[texts.Length * longest];
        long[] attentionMask = new long[texts.Length * longest];
        long[] tokenTypeIds = new long[texts.Length * longest];
        for (int i = 0; i < texts.Length; i++)
        {
            for (int t = 0; t < tokenIds[i].Count; t++)
            {
                inputIds[(i * longest) + t] = tokenIds[i][t];
                attentionMask[(i * longest) + t] = 1;
            }
        }

        long[] shape = [texts.Length, longest];
        using OrtValue ids = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using OrtValue mask = OrtValue.CreateTensorValueFromMemory(attentionMask, shape);
        using OrtValue types = OrtValue.CreateTensorValueFromMemory(tokenTypeIds, shape);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(
            runOptions, InputNames, [ids, mask, types], OutputNames);

        ReadOnlySpan<float> hidden = outputs[0].GetTensorDataAsSpan<float>();
        var vectors = new float[texts.Length][];
        for (int i = 0; i < texts.Length; i++)
        {
            // Padding sits after the real tokens, so the mask's ones are the first Count positions of the row.
            vectors[i] = MeanPooling.Pool(hidden.Slice(i * longest * Dimensions, longest * Dimensions), tokenIds[i].Count, Dimensions);
        }

        return vectors;
    }

    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private static readonly string[] OutputNames = ["last_hidden_state"];
}
