using System.Runtime.InteropServices;

namespace OpaeSharp.Interop;

/// <summary>
/// The io_uring user API (<c>linux/io_uring.h</c>) the simulator pins caller memory with: a ring whose
/// registered ("fixed") buffers the kernel pins with FOLL_WRITE | FOLL_LONGTERM and charges to
/// RLIMIT_MEMLOCK, as a DMA driver does, and READ_FIXED / WRITE_FIXED that move bytes to and from
/// exactly those pages. Names and layouts as in the header.
/// </summary>
internal static class IoUring
{
    // asm-generic/unistd.h: the same numbers on x86-64 and arm64 (new system calls share one table).
    internal const long __NR_io_uring_setup = 425;
    internal const long __NR_io_uring_enter = 426;
    internal const long __NR_io_uring_register = 427;

    internal const byte IORING_OP_READ_FIXED = 4;
    internal const byte IORING_OP_WRITE_FIXED = 5;

    internal const uint IORING_ENTER_GETEVENTS = 1U << 0;

    internal const uint IORING_FEAT_SINGLE_MMAP = 1U << 0;

    internal const long IORING_OFF_SQ_RING = 0;
    internal const long IORING_OFF_CQ_RING = 0x8000000;
    internal const long IORING_OFF_SQES = 0x10000000;

    internal const uint IORING_REGISTER_BUFFERS2 = 15;
    internal const uint IORING_REGISTER_BUFFERS_UPDATE = 16;

    internal const uint IORING_RSRC_REGISTER_SPARSE = 1U << 0;

    /// <summary>The kernel's limit on registered buffers per ring (IORING_MAX_REG_BUFFERS).</summary>
    internal const int IORING_MAX_REG_BUFFERS = 1 << 14;

    /// <summary>The kernel's limit on one registered buffer (io_buffer_validate: SZ_1G).</summary>
    internal const long MaxFixedBufferBytes = 1L << 30;

    [StructLayout(LayoutKind.Sequential)]
    internal struct io_sqring_offsets
    {
        public uint head;
        public uint tail;
        public uint ring_mask;
        public uint ring_entries;
        public uint flags;
        public uint dropped;
        public uint array;
        public uint resv1;
        public ulong user_addr;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct io_cqring_offsets
    {
        public uint head;
        public uint tail;
        public uint ring_mask;
        public uint ring_entries;
        public uint overflow;
        public uint cqes;
        public uint flags;
        public uint resv1;
        public ulong user_addr;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct io_uring_params
    {
        public uint sq_entries;
        public uint cq_entries;
        public uint flags;
        public uint sq_thread_cpu;
        public uint sq_thread_idle;
        public uint features;
        public uint wq_fd;
        public fixed uint resv[3];
        public io_sqring_offsets sq_off;
        public io_cqring_offsets cq_off;
    }

    /// <summary>A submission queue entry, with the members a read or write uses.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct io_uring_sqe
    {
        public byte opcode;
        public byte flags;
        public ushort ioprio;
        public int fd;
        public ulong off;
        public ulong addr;
        public uint len;
        public uint rw_flags;
        public ulong user_data;
        public ushort buf_index;
        public ushort personality;
        public int splice_fd_in;
        public ulong addr3;
        public ulong __pad2;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct io_uring_cqe
    {
        public ulong user_data;
        public int res;
        public uint flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct io_uring_rsrc_register
    {
        public uint nr;
        public uint flags;
        public ulong resv2;
        public ulong data;
        public ulong tags;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct io_uring_rsrc_update2
    {
        public uint offset;
        public uint resv;
        public ulong data;
        public ulong tags;
        public uint nr;
        public uint resv2;
    }
}
