# A compile cache of the image's own Ruby files, for the prestarted runner (runner/prestart.rb), in
# the spirit of bootsnap's: when the image is built (`ruby /opt/runner/iseq.rb build`), every .rb
# file of Ruby's library, the Debian gems (Minitest, RSpec) and the runner is compiled once to an
# instruction sequence, stored read-only under /opt/ruby-iseq (the file's path + ".bin"). A run loads
# those instead of compiling the source again (RubyVM::InstructionSequence.load_iseq, the hook
# `require` and `load` consult). A file whose size or mtime differs from what was compiled, and any
# file not in the cache (the submission's, the tests'), is compiled from its source as usual. Nothing
# is written at run time.
#
# prestart.rb starts under `ruby --disable-gems` and loads this first, so that RubyGems' own files
# come from the cache too: the hook is set, then this file does what Ruby's gem_prelude does at
# start (require rubygems, error_highlight, did_you_mean): the same features and gems as a plain
# `ruby` start, about 20 ms of CPU cheaper per container (45 ms when RSpec is loaded).
ISEQ_DIR = '/opt/ruby-iseq'

if ARGV.first == 'build' && $PROGRAM_NAME == __FILE__
  require 'fileutils'
  n = 0
  ARGV.drop(1).each do |root|
    Dir.glob("#{root}/**/*.rb").sort.each do |f|
      next unless File.file?(f) && !File.symlink?(f)

      st = File.stat(f)
      begin
        bin = RubyVM::InstructionSequence.compile_file(f).to_binary("#{st.size}:#{st.mtime.to_i}")
      rescue SyntaxError, StandardError
        next
      end
      out = "#{ISEQ_DIR}#{f}.bin"
      FileUtils.mkdir_p(File.dirname(out))
      File.binwrite(out, bin)
      n += 1
    end
  end
  puts "ruby iseq cache: #{n} files"
  exit
end

class << RubyVM::InstructionSequence
  def load_iseq(path)
    bin = File.binread("#{ISEQ_DIR}#{path}.bin")
    st = File.stat(path)
    return nil unless RubyVM::InstructionSequence.load_from_binary_extra_data(bin) == "#{st.size}:#{st.mtime.to_i}"

    RubyVM::InstructionSequence.load_from_binary(bin)
  rescue SystemCallError, StandardError
    nil
  end
end

# Ruby 3.1's gem_prelude, which `--disable-gems` skipped.
unless defined?(Gem)
  begin
    require 'rubygems'
  rescue LoadError => e
    raise unless e.path == 'rubygems'

    warn "`RubyGems' were not loaded."
  end
  begin
    require 'error_highlight'
  rescue LoadError
    warn "`error_highlight' was not loaded."
  end
  begin
    require 'did_you_mean'
  rescue LoadError
    warn "`did_you_mean' was not loaded."
  end
end
