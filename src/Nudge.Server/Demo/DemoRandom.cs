using System.Buffers.Binary;

namespace Nudge.Server.Demo;

/// <summary>
/// xoshiro256** seeded through SplitMix64. Written out rather than using <see cref="Random"/> so that the
/// demo data stays identical across .NET versions and platforms (it uses no transcendental functions,
/// whose last bits differ between C libraries), and so that each shopper gets an independent stream:
/// generating one shopper's sessions never shifts the numbers another shopper sees.
/// </summary>
internal sealed class DemoRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public DemoRandom(int seed, ulong stream)
    {
        var x = ((ulong)(uint)seed << 32) ^ (stream * 0x9E3779B97F4A7C15UL) ^ 0xD1B54A32D192ED03UL;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A number in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A number in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive) => (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);

    /// <summary>A number in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int min, int maxExclusive) => min + Next(maxExclusive - min);

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Between(double min, double max) => min + ((max - min) * NextDouble());

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Failures before the first success; mean (1 - p) / p.</summary>
    public int Geometric(double p, int max)
    {
        var n = 0;
        while (n < max && !Chance(p))
        {
            n++;
        }

        return n;
    }

    /// <summary>
    /// An approximately standard normal deviate in [-6, 6] (Irwin–Hall: twelve uniforms minus six).
    /// Only additions, so the result does not depend on the platform's <c>Math.Log</c> or <c>Math.Cos</c>.
    /// </summary>
    public double Normal()
    {
        var sum = 0.0;
        for (var i = 0; i < 12; i++)
        {
            sum += NextDouble();
        }

        return sum - 6.0;
    }

    /// <summary>
    /// A log-normal factor <c>e^(sigma · N)</c>, with e^x from its Taylor series (x stays within ±2 here)
    /// for the same reason as <see cref="Normal"/>.
    /// </summary>
    public double LogNormal(double sigma)
    {
        var x = Math.Clamp(sigma * Normal(), -2.0, 2.0);
        var term = 1.0;
        var sum = 1.0;
        for (var n = 1; n <= 10; n++)
        {
            term *= x / n;
            sum += term;
        }

        return sum;
    }

    /// <summary>An index into <paramref name="cumulativeWeights"/>, chosen in proportion to the weights.</summary>
    public int PickWeighted(IReadOnlyList<double> cumulativeWeights)
    {
        var target = NextDouble() * cumulativeWeights[^1];
        var low = 0;
        var high = cumulativeWeights.Count - 1;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (cumulativeWeights[mid] > target)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        return low;
    }

    /// <summary>A version-4 GUID made from this generator's numbers.</summary>
    public Guid NextGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, NextUInt64());
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], NextUInt64());
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>Running sums of <paramref name="weights"/>, for <see cref="PickWeighted"/>.</summary>
    public static double[] Cumulative(IEnumerable<double> weights)
    {
        var sums = new List<double>();
        var total = 0.0;
        foreach (var weight in weights)
        {
            total += weight;
            sums.Add(total);
        }

        return [.. sums];
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
